/**
 * The storage contract. The reference server talks to storage only through this
 * interface; SQLite (the embedded default) and PostgreSQL (for several processes)
 * implement it, and both pass the same contract suite (test/server/storage-contract.ts). Groups and invite links are in
 * group-storage.ts and invite-storage.ts, support in support-storage.ts.
 *
 * Every method is atomic: it either applies completely or not at all. User ids given to
 * conversations and messages must belong to users stored with `upsertUser`. Any method
 * rejects with `unavailable` when the storage cannot be reached or has been closed.
 * Conversations, messages and read state are areas of their own (area.ts).
 *
 * A member who left or was removed keeps their membership row: they still see the
 * conversation, up to the event that ended their membership (its `leftSeq`), and nothing
 * after it. "Member" below means an active member unless said otherwise.
 */
import type { User } from '../../protocol/index.js';
import type { StorageAreas } from './area.js';
import type { FileStorage } from './file-storage.js';
import type { GroupStorage } from './group-storage.js';
import type { IdempotencyStorage } from './idempotency-storage.js';
import type { InviteStorage } from './invite-storage.js';
import type { PushStorage } from './push-storage.js';
import type { SearchStorage } from './search-storage.js';
import type { UserAccountStorage } from './user-account-storage.js';
import type { WebhookStorage } from './webhook-storage.js';
import type { SupportStorage } from './support-storage.js';

export interface Storage
  extends StorageAreas,
    GroupStorage,
    InviteStorage,
    FileStorage,
    PushStorage,
    SearchStorage,
    UserAccountStorage,
    IdempotencyStorage,
    WebhookStorage,
    SupportStorage {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Creates the user or updates name and avatar (profiles come from the host's tokens).
   * The caller has checked that the user is not deleted (`getUserAccount`).
   */
  upsertUser(user: User, now: number): Promise<void>;
  /** The users that exist among `ids`, in no particular order. */
  getUsers(ids: readonly string[]): Promise<User[]>;
  /** Users whose name or id contains `query` (case-insensitive), by name; never deleted ones. */
  searchUsers(query: string, options: { excludeId: string; limit: number }): Promise<User[]>;
}
