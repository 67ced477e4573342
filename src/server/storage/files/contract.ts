/**
 * The files area of storage: records of uploaded files (see files/records.ts) and the
 * secret that signs access to them.
 */
import type { FileCopy, FileRecord, RemovedFiles, UploadUsage } from '../../files/records.js';
import type { StorageArea } from '../area.js';

export interface FileReads {
  get(id: string): Promise<FileRecord | null>;
  usage(userId: string): Promise<UploadUsage>;
}

export interface FileWrites {
  /**
   * Stores a record. A record with this id already stored is kept as it is (forwarding
   * the same file to the same conversation twice makes one record). `not_found` when the
   * conversation or the uploader does not exist.
   */
  add(record: FileRecord): Promise<void>;
  /**
   * The copy of `sourceId` under `copy.id` (made now, or kept as it is if it exists), or
   * null when there is neither. The copy is made in one step with reading the source, so
   * a source removed meanwhile (`removeUnsent`) yields null, never a copy whose bytes are
   * being deleted. Sending a message marks its file sent, or refuses a message whose file
   * record is gone with `not_found`.
   */
  forward(sourceId: string, copy: FileCopy): Promise<FileRecord | null>;
  /**
   * Removes up to `limit` records that no message has carried and that were stored before
   * `createdBefore`. Returns how many, and the storage keys no record uses any more: their
   * blobs are the caller's to delete, once this has resolved. Several processes may run
   * it at once; each record is removed once.
   */
  removeUnsent(input: { createdBefore: number; limit: number }): Promise<RemovedFiles>;
  /**
   * 32 random bytes made on first use and kept with the data, so that file links signed
   * with it survive restarts and hold across every process sharing this storage.
   */
  accessSecret(): Promise<Uint8Array>;
}

export type FileStorage = StorageArea<FileReads, FileWrites>;

/** The columns of `files` as both storages select them: named as a FileRecord's fields. */
export const fileColumns = `id, conversation_id AS "conversationId", uploader_id AS "uploaderId", name, mime, size,
  width, height, duration_ms AS "durationMs", storage_key AS "storageKey", created_at AS "createdAt"`;
