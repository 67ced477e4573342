/** Records of uploaded files (the bytes live in a BlobStore, see blob-store.ts). */

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
  /** Pixels as displayed; null unless the file is an image or a video whose size could be read. */
  width: number | null;
  height: number | null;
  /** Milliseconds; null unless the file is audio or video whose container tells its length. */
  durationMs: number | null;
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

export interface RemovedFiles {
  removed: number;
  orphanedStorageKeys: string[];
}
