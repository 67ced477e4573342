/**
 * The storage contract suite: every Storage implementation must pass it. It talks to the
 * Storage interface only, so a PostgreSQL implementation runs the same file.
 *
 * @example
 * describeStorageContract('PostgresStorage', async () => ({ storage, openSameData, cleanup }));
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/protocol/index.js';
import type { AppendMessageInput } from '../../src/server/messages/append-decision.js';
import type { Storage } from '../../src/server/storage/storage.js';
import { describeAccountContract } from './storage/accounts.contract.js';
import { describeConversationsContract } from './storage/conversations.contract.js';
import { describeFileContract } from './storage/files.contract.js';
import { describeGroupContract } from './storage/groups.contract.js';
import { describeIdempotencyContract } from './storage/idempotency.contract.js';
import { describeMessagesContract } from './storage/messages.contract.js';
import { describePresenceContract } from './storage/presence.contract.js';
import { describePushContract } from './storage/push.contract.js';
import { describeReadsContract } from './storage/reads.contract.js';
import { describeSearchContract } from './storage/search.contract.js';
import { describeSupportContract } from './storage/support.contract.js';
import { describeWebhookContract } from './storage/webhooks.contract.js';

export interface StorageFixture {
  /** Migrated and empty. */
  storage: Storage;
  /** Another, migrated instance on the same underlying data (a restart, another process). */
  openSameData(): Promise<Storage>;
  /** Closes everything the fixture opened and deletes its data. */
  cleanup(): Promise<void>;
}

/**
 * A fixture whose instances `create` opens on the same data (each one migrated), and
 * whose cleanup closes them all before `removeData`.
 */
export async function storageFixture(
  create: () => Storage,
  removeData: () => Promise<void>,
): Promise<StorageFixture> {
  const opened: Storage[] = [];
  const open = async () => {
    const storage = create();
    opened.push(storage);
    await storage.migrate();
    return storage;
  };
  return {
    storage: await open(),
    openSameData: open,
    cleanup: async () => {
      for (const storage of opened) await storage.close();
      await removeData();
    },
  };
}

const alice: User = { id: 'alice', name: 'Alice', avatar: null };
const bob: User = { id: 'bob', name: 'Bob', avatar: 'https://example.com/bob.png' };
const carol: User = { id: 'carol', name: 'Carol', avatar: null };
const dave: User = { id: 'dave', name: 'Dave', avatar: null };

const text = (value: string) => ({ type: 'text' as const, text: value });

export function describeStorageContract(
  name: string,
  createStorage: () => Promise<StorageFixture>,
): void {
  describe(`${name} (storage contract)`, () => {
    let fixture: StorageFixture;
    let storage: Storage;
    let clientIds = 0;

    beforeEach(async () => {
      fixture = await createStorage();
      storage = fixture.storage;
      for (const user of [alice, bob, carol, dave]) await storage.accounts.write.upsertUser(user, 1000);
    });
    afterEach(() => fixture.cleanup());

    const single = (a: string, b: string, createdBy = a, now = 2000) =>
      storage.conversations.write.ensureSingle({
        id: `c-${[a, b].sort().join('-')}`,
        memberIds: [a, b],
        createdBy,
        now,
      });

    const send = (
      conversationId: string,
      senderId: string,
      overrides: Partial<AppendMessageInput> = {},
    ) =>
      storage.messages.write.append({
        conversationId,
        senderId,
        clientId: `client-${++clientIds}`,
        body: text(`message ${clientIds}`),
        createdAt: 3000 + clientIds,
        ...overrides,
      });

    describeGroupContract({
      get storage() {
        return storage;
      },
    });

    describeFileContract({
      get storage() {
        return storage;
      },
      openSameData: () => fixture.openSameData(),
    });

    const timelineContext = {
      get storage() {
        return storage;
      },
      openSameData: () => fixture.openSameData(),
      openElsewhere: createStorage,
    };
    describe('conversations', () => describeConversationsContract(timelineContext));
    describe('messages', () => describeMessagesContract(timelineContext));
    describe('read state', () => describeReadsContract(timelineContext));

    const area = {
      get storage() {
        return storage;
      },
      openSameData: () => fixture.openSameData(),
    };
    // Each area's own setup stays within its describe.
    describe('accounts', () => describeAccountContract(area));
    describe('search', () => describeSearchContract(area));
    describe('presence', () => describePresenceContract(area));
    describe('push', () => describePushContract(area));
    describe('idempotency', () => describeIdempotencyContract(area));
    describe('webhooks', () => describeWebhookContract(area));

    describeSupportContract({
      get storage() {
        return storage;
      },
      openSameData: () => fixture.openSameData(),
    });

    describe('lifecycle', () => {
      it('runs migrations again on reopen without touching the data', async () => {
        const { id } = await single('alice', 'bob');
        const { message } = await send(id, 'alice');
        const reopened = await fixture.openSameData();
        await reopened.migrate();
        await reopened.migrate();
        expect((await reopened.messages.read.history(id, { limit: 10 })).messages).toEqual([message]);
        expect((await reopened.accounts.read.users(['alice']))[0]).toEqual(alice);
      });

      it('rejects with unavailable after close', async () => {
        const { id } = await single('alice', 'bob');
        await storage.close();
        await expect(send(id, 'alice')).rejects.toMatchObject({ code: 'unavailable' });
        await expect(storage.accounts.read.users(['alice'])).rejects.toMatchObject({ code: 'unavailable' });
        await expect(storage.reads.write.markRead(id, 'alice', 1)).rejects.toMatchObject({
          code: 'unavailable',
        });
      });
    });
  });
}
