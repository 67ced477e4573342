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

export interface FileStorage {
  /**
   * Stores a record. A record with this id already stored is kept as it is (forwarding
   * the same file to the same conversation twice makes one record). `not_found` when the
   * conversation or the uploader does not exist.
   */
  addFile(record: FileRecord): Promise<void>;
  getFile(id: string): Promise<FileRecord | null>;
  /**
   * 32 random bytes made on first use and kept with the data, so that file links signed
   * with it survive restarts and hold across every process sharing this storage.
   */
  fileAccessSecret(): Promise<Uint8Array>;
}
