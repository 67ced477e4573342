/**
 * The presence area of storage: who may see whose presence, and when people were last
 * connected. Who is connected right now is not stored (see presence.ts).
 */
import type { StorageArea } from '../area.js';

export interface PresenceReads {
  /** When each of `userIds` was last connected; users never seen are left out. */
  lastSeen(userIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * The ids among `candidateIds` that share a conversation with `userId`, both being
   * active members of it; in no particular order. In a support conversation its customer
   * shares it with the agent answering only.
   */
  sharingConversation(userId: string, candidateIds: readonly string[]): Promise<string[]>;
}

export interface PresenceWrites {
  /** Records when the user's last connection ended. */
  setLastSeen(userId: string, at: number): Promise<void>;
}

export type PresenceStorage = StorageArea<PresenceReads, PresenceWrites>;
