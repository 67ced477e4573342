/**
 * The storage contract. The reference server talks to storage only through this
 * interface; SQLite (the embedded default) and PostgreSQL (for several processes)
 * implement it, and both pass the same contract suite (test/server/storage-contract.ts).
 * It is made of areas (area.ts), each in its own folder with its contract, its code
 * written once (`sql.ts`, against the query interface in sql/ that both backends
 * implement); only appending messages, the hot path, has a part per backend.
 *
 * Every method is atomic: it either applies completely or not at all. User ids given to
 * conversations and messages must belong to users stored with `accounts.write.upsertUser`.
 * Any method rejects with `unavailable` when the storage cannot be reached or has been
 * closed.
 *
 * A member who left or was removed keeps their membership row: they still see the
 * conversation, up to the event that ended their membership (its `leftSeq`), and nothing
 * after it. "Member" below means an active member unless said otherwise.
 */
import type { StorageAreas } from './area.js';

export interface Storage extends StorageAreas {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
