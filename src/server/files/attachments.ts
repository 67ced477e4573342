/** Turning an outgoing attachment (a file id) into the body a message stores. */
import { createHash, randomBytes } from 'node:crypto';
import type { AttachmentBody } from '../../protocol/bodies.js';
import type { FileInfo, OutgoingBody } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { MembershipCache } from '../membership.js';
import type { Storage } from '../storage/storage.js';
import { limits } from '../../protocol/limits.js';
import { inlineImageTypes } from './content-type.js';
import type { FileRecord } from './records.js';

/** An outgoing attachment: a file id (and, for a voice message, what the recorder measured). */
export type OutgoingAttachment = Extract<OutgoingBody, { type: AttachmentBody['type'] }>;

/**
 * Containers a voice message may come in: audio types, and the video containers that
 * browsers record audio into (the sniffer cannot tell an audio-only WebM or MP4).
 */
const voiceContainers = new Set(['video/webm', 'video/mp4', 'video/ogg']);

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
 * bytes. Anything else is `not_found`; an image, video or voice body for a file that is
 * not one is `invalid_payload`. A video's size and a voice message's duration are the
 * server's where it read them from the file.
 */
export async function resolveAttachment(
  deps: AttachmentDeps,
  input: { userId: string; conversationId: string; body: OutgoingAttachment },
): Promise<AttachmentBody> {
  const { userId, conversationId, body } = input;
  let record = await deps.storage.files.read.get(body.fileId);
  if (!record) throw noSuchFile();
  if (record.conversationId !== conversationId) {
    await deps.membership.requireMember(record.conversationId, userId).catch(() => {
      throw noSuchFile();
    });
    record = await forwardFile(deps, { sourceId: record.id, userId, conversationId });
  }
  const file = toFileInfo(record);
  switch (body.type) {
    case 'file':
      return { type: 'file', file };
    case 'image':
      if (!isInlineImage(record)) throw notA('an image');
      return { type: 'image', file, width: record.width, height: record.height };
    case 'video': {
      if (!record.mime.startsWith('video/')) throw notA('a video');
      const { width, height, durationMs } = record;
      return {
        type: 'video',
        file,
        ...(width !== null && height !== null ? { width, height } : {}),
        ...(durationMs !== null ? { duration: durationMs } : {}),
      };
    }
    case 'voice':
      if (!record.mime.startsWith('audio/') && !voiceContainers.has(record.mime)) throw notA('audio');
      return {
        type: 'voice',
        file,
        duration: Math.min(record.durationMs ?? body.duration, limits.voiceDurationMaxMs),
        waveform: body.waveform,
      };
  }
}

function notA(what: string): CommandError {
  return new CommandError('invalid_payload', `this file is not ${what}: send it as a file`);
}

/**
 * The record of file `sourceId` in conversation `conversationId`, forwarded there by
 * `userId` (who the caller has checked may read the source); `not_found` when the source is
 * gone. Its id derives from the source and the target, so a retried send, or the same file
 * forwarded twice, makes one record.
 */
export async function forwardFile(
  deps: AttachmentDeps,
  { sourceId, userId, conversationId }: { sourceId: string; userId: string; conversationId: string },
): Promise<FileRecord> {
  const id = createHash('sha256')
    .update(JSON.stringify([sourceId, conversationId]))
    .digest('base64url')
    .slice(0, 22);
  // Gone meanwhile: an unsent source expired, its bytes are being deleted.
  const copy = await deps.storage.files.write.forward(sourceId, {
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
