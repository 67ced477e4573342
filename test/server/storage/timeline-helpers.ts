/**
 * What the contracts of conversations, messages and read state set up with: single
 * conversations and text messages between the users the storage contract stores.
 */
import type { Message } from '../../../src/protocol/index.js';
import type { AppendMessageInput } from '../../../src/server/messages/append-decision.js';
import type { Storage } from '../../../src/server/storage/storage.js';
import type { StorageFixture } from '../storage-contract.js';

export interface TimelineContractContext {
  readonly storage: Storage;
  /** Another instance on the same data (a restart, another process). */
  openSameData(): Promise<Storage>;
  /** A storage of its own, on other data (another incarnation). */
  openElsewhere(): Promise<StorageFixture>;
}

export const text = (value: string) => ({ type: 'text' as const, text: value });

export const seqs = (messages: Message[]) => messages.map((message) => message.seq);

/** `single` and `send` on the context's storage; each `send` takes the next clientId. */
export function timelineHelpers(context: { readonly storage: Storage }) {
  let clientIds = 0;
  return {
    /** The number in the last clientId (and text) sent. */
    lastSent: () => clientIds,
    single: (a: string, b: string, createdBy = a, now = 2000) =>
      context.storage.conversations.write.ensureSingle({
        id: `c-${[a, b].sort().join('-')}`,
        memberIds: [a, b],
        createdBy,
        now,
      }),
    send: (conversationId: string, senderId: string, overrides: Partial<AppendMessageInput> = {}) =>
      context.storage.messages.write.append({
        conversationId,
        senderId,
        clientId: `client-${++clientIds}`,
        body: text(`message ${clientIds}`),
        createdAt: 3000 + clientIds,
        ...overrides,
      }),
  };
}
