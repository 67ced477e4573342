/** Turning an outgoing image or file (a file id) into the body a message stores. */
import { createHash, randomBytes } from 'node:crypto';
import type { FileBody, FileInfo, ImageBody, OutgoingBody } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { MembershipCache } from '../membership.js';
import type { Storage } from '../storage/storage.js';
import { inlineImageTypes } from './content-type.js';
import type { FileRecord } from './records.js';

/** An outgoing image or file: a file id. */
export type OutgoingAttachment = Extract<OutgoingBody, { type: 'image' | 'file' }>;

export interface AttachmentDeps {
  storage: Pick<Storage, 'files'>;
  membership: MembershipCache;
  clock: Clock;
}

/** A new file id: 128 random bits, 22 base64url characters. */
export function newFileId(): string {
  return randomBytes(16).toString('base64url');
}

export function toFileInfo(record: FileRecord): FileInfo {
  return { id: record.id, name: record.name, mime: record.mime, size: record.size };
}

/** Shown inline, with known dimensions: what an image message needs. */
export function isInlineImage(record: FileRecord): record is FileRecord & { width: number; height: number } {
  return inlineImageTypes.has(record.mime) && record.width !== null && record.height !== null;
}

/**
 * The stored body for an attachment `userId` sends to `conversationId` (whose active
 * member the caller has checked they are), filled from the server's own record. The file
 * is either one of this conversation, or one of another conversation the user is an
 * active member of: then it is forwarded as a new record of this conversation sharing the
 * bytes. Anything else is `not_found`; an image body for a file that is not an inline
 * image is `invalid_payload`.
 */
export async function resolveAttachment(
  deps: AttachmentDeps,
  input: { userId: string; conversationId: string; body: OutgoingAttachment },
): Promise<ImageBody | FileBody> {
  const { userId, conversationId, body } = input;
  let record = await deps.storage.files.read.get(body.fileId);
  if (!record) throw noSuchFile();
  if (record.conversationId !== conversationId) {
    await deps.membership.requireMember(record.conversationId, userId).catch(() => {
      throw noSuchFile();
    });
    record = await forward(deps, record, userId, conversationId);
  }
  if (body.type === 'file') return { type: 'file', file: toFileInfo(record) };
  if (!isInlineImage(record)) {
    throw new CommandError('invalid_payload', 'this file is not an image: send it as a file');
  }
  return { type: 'image', file: toFileInfo(record), width: record.width, height: record.height };
}

/**
 * The record of `source` in the target conversation. Its id derives from the source and
 * the target, so a retried send, or the same file forwarded twice, makes one record.
 */
async function forward(
  deps: AttachmentDeps,
  source: FileRecord,
  userId: string,
  conversationId: string,
): Promise<FileRecord> {
  const id = createHash('sha256')
    .update(JSON.stringify([source.id, conversationId]))
    .digest('base64url')
    .slice(0, 22);
  // Gone meanwhile: an unsent source expired, its bytes are being deleted.
  const copy = await deps.storage.files.write.forward(source.id, {
    id,
    conversationId,
    uploaderId: userId,
    createdAt: deps.clock.now(),
  });
  if (!copy) throw noSuchFile();
  return copy;
}

function noSuchFile(): CommandError {
  return new CommandError('not_found', 'no such file');
}
