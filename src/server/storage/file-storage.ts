/**
 * The uploaded-files part of the storage contract: records of files (the bytes live in a
 * BlobStore, see src/server/files/blob-store.ts) and the secret that signs access to them.
 */

/** One file as one conversation knows it; a forwarded copy is another record, same bytes. */
export interface FileRecord {
  /** Opaque, 22+ base64url characters. */
  id: string;
  conversationId: string;
  /** Who uploaded it, or who forwarded it into this conversation. */
  uploaderId: string;
  name: string;
  /** Sniffed from the content. */
  mime: string;
  size: number;
  /** Pixels as displayed; null unless the file is an image whose size could be read. */
  width: number | null;
  height: number | null;
  /** Where the blob store keeps the bytes; records of forwarded copies share it. */
  storageKey: string;
  createdAt: number;
}

/** What one user holds in uploads. Forwarded copies share the bytes: they are not uploads. */
export interface UploadUsage {
  bytes: number;
  /** Of those, the bytes of uploads that no message carries yet. */
  unsentBytes: number;
}

/** The record a forward makes in another conversation: the source's file, another id. */
export interface FileCopy {
  id: string;
  conversationId: string;
  uploaderId: string;
  createdAt: number;
}

export interface FileStorage {
  /**
   * Stores a record. A record with this id already stored is kept as it is (forwarding
   * the same file to the same conversation twice makes one record). `not_found` when the
   * conversation or the uploader does not exist.
   */
  addFile(record: FileRecord): Promise<void>;
  getFile(id: string): Promise<FileRecord | null>;
  /**
   * The copy of `sourceId` under `copy.id` (made now, or kept as it is if it exists), or
   * null when there is neither. The copy is made in one step with reading the source, so
   * a source removed meanwhile (`removeUnsentFiles`) yields null, never a copy whose
   * bytes are being deleted. `messages.write.append` marks a file sent, or refuses a message
   * whose file record is gone with `not_found`.
   */
  forwardFile(sourceId: string, copy: FileCopy): Promise<FileRecord | null>;
  uploadUsage(userId: string): Promise<UploadUsage>;
  /**
   * Removes up to `limit` records that no message has carried and that were stored before
   * `createdBefore`. Returns how many, and the storage keys no record uses any more: their
   * blobs are the caller's to delete, once this has resolved. Several processes may run
   * it at once; each record is removed once.
   */
  removeUnsentFiles(input: { createdBefore: number; limit: number }): Promise<RemovedFiles>;
  /**
   * 32 random bytes made on first use and kept with the data, so that file links signed
   * with it survive restarts and hold across every process sharing this storage.
   */
  fileAccessSecret(): Promise<Uint8Array>;
}

export interface RemovedFiles {
  removed: number;
  orphanedStorageKeys: string[];
}
