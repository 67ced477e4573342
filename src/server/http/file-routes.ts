/**
 * Uploads and downloads: `POST /api/files` streams a file to the blob store for a
 * conversation the caller belongs to; `GET /api/files/:id?access=` serves it to members
 * with headers that keep any content inert. See docs/embedding.md, "Files on the server".
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { limits, withoutBidiControls } from '../../protocol/index.js';
import { FileId, FileName, Id } from '../../protocol/schemas.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import { isInlineImage, newFileId, toFileInfo } from '../files/attachments.js';
import { BlobTooLargeError, type BlobStore } from '../files/blob-store.js';
import { isMedia, probeMedia, type MediaFacts } from '../files/media-facts.js';
import { ContentInspector, defaultFileTypes, inlineImageTypes, isTypeAllowed } from '../files/content-type.js';
import type { UnsentUploadOptions } from '../files/unsent-upload-sweep.js';
import type { FileRecord } from '../files/records.js';
import type { UploadQuotaOptions } from '../files/upload-quota.js';
import type { Uploads } from '../files/uploads.js';
import type { MembershipCache } from '../membership.js';
import type { AllowedOrigins } from '../origin.js';
import type { KeyedLimiter } from '../rate-limit.js';
import { toValidationIssues } from '../validation.js';
import { parseByteRange } from './byte-range.js';
import { allowCors } from './cors.js';
import { errorBody, failWith as fail } from './errors.js';

/** Quotas and the expiry of unsent uploads are settings of their own modules. */
export interface FileOptions extends UploadQuotaOptions, UnsentUploadOptions {
  /** Where the bytes go. */
  store: BlobStore;
  /** Largest upload in bytes; default `limits.fileSizeDefaultMax`. */
  maxBytes?: number;
  /** Sniffed MIME types accepted (`type/*` for all of a kind); default `defaultFileTypes`. */
  allowedTypes?: readonly string[];
}

export interface FileRouteDeps {
  files: FileOptions;
  uploads: Uploads;
  auth: Authenticator;
  membership: MembershipCache;
  clock: Clock;
  allowedOrigins: AllowedOrigins;
  /** Refuses a blocked or deleted account: a still-valid token must not outlive a block. */
  requireActive: (userId: string) => Promise<void>;
  /** Uploads per user, by user id, whatever connection or process they come through. */
  uploadLimit: KeyedLimiter;
}

// Names are shown to others: the characters that could disguise one (exe as pdf) go.
const UploadQuery = z.object({
  conversationId: Id,
  name: FileName.transform(withoutBidiControls).pipe(z.string().min(1, 'must have a visible character')),
});
const DownloadQuery = z.object({ access: z.string().max(400) });

/** Whatever a file contains, a browser opening its URL runs nothing and loads nothing. */
const downloadPolicy = "default-src 'none'; sandbox";

export function addFileRoutes(app: FastifyInstance, deps: FileRouteDeps): void {
  const maxBytes = deps.files.maxBytes ?? limits.fileSizeDefaultMax;
  const allowedTypes = deps.files.allowedTypes ?? defaultFileTypes;
  const { store } = deps.files;

  // Its own scope: the upload body is a raw stream of any type, read by the handler
  // (the app's 64 KB body limit applies to parsed bodies only).
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));

    scope.options('/api/files', async (request, reply) => {
      allowCors(request, reply, deps.allowedOrigins, 'POST');
      return reply.status(204).send();
    });

    scope.post('/api/files', async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      if (!allowCors(request, reply, deps.allowedOrigins, 'POST')) {
        return fail(reply, new CommandError('origin_not_allowed', 'this origin may not upload'));
      }
      try {
        const user = await authenticate(request, deps.auth);
        await deps.requireActive(user.id);
        const waitMs = await deps.uploadLimit.take(user.id);
        if (waitMs > 0) {
          reply.header('Retry-After', Math.ceil(waitMs / 1000));
          throw new CommandError('rate_limited', 'too many uploads from this user', { retryAfterMs: waitMs });
        }
        const query = UploadQuery.safeParse(request.query);
        if (!query.success) {
          throw new CommandError('invalid_payload', 'expected ?conversationId=…&name=…', {
            issues: toValidationIssues(query.error.issues),
          });
        }
        const { conversationId, name } = query.data;
        await deps.membership.requireMember(conversationId, user.id);
        const announced = Number(request.headers['content-length']) || 0;
        if (announced > maxBytes) throw tooLarge(maxBytes);
        await deps.uploads.requireRoom(user.id, announced);
        const record = await receive(request, { store, maxBytes, allowedTypes });
        await deps.uploads.requireRoom(user.id, record.size).catch(async (error: unknown) => {
          await store.delete(record.storageKey);
          throw error;
        });
        const stored: FileRecord = {
          ...record,
          conversationId,
          uploaderId: user.id,
          name,
          createdAt: deps.clock.now(),
        };
        await deps.uploads.store(stored).catch(async (error: unknown) => {
          await store.delete(stored.storageKey);
          throw error;
        });
        return reply.status(201).send({ file: toFileInfo(stored), ...shownFacts(stored) });
      } catch (error) {
        if (request.raw.readableAborted) {
          request.log.info('upload cancelled by the client');
          return fail(reply, new CommandError('invalid_payload', 'the upload was cut off'));
        }
        const failure = error instanceof CommandError ? error : uploadFailure(error, request);
        // Whatever of the body is still coming is read and dropped, so that the client gets
        // this answer at once rather than a connection that waits for the rest or resets.
        request.raw.resume();
        return fail(reply, failure, failure.code === 'file_too_large' ? { maxBytes } : {});
      }
    });

    scope.get<{ Params: { id: string } }>('/api/files/:id', async (request, reply) => {
      allowCors(request, reply, deps.allowedOrigins, 'GET');
      const query = DownloadQuery.safeParse(request.query);
      let readable: Awaited<ReturnType<Uploads['readable']>>;
      try {
        // A malformed id or token is as unknown as any other.
        if (!FileId.safeParse(request.params.id).success || !query.success) {
          throw new CommandError('not_found', 'no such file');
        }
        readable = await deps.uploads.readable(request.params.id, query.data.access);
      } catch (error) {
        if (error instanceof CommandError) return fail(reply, error);
        throw error;
      }
      const { record, grant } = readable;

      const range = parseByteRange(request.headers.range, record.size);
      if (range === 'unsatisfiable') {
        reply.header('Content-Range', `bytes */${record.size}`);
        return reply.status(416).send(errorBody('invalid_payload', 'the range is outside the file'));
      }
      const body = await store.open(record.storageKey, range ?? undefined);
      if (!body) {
        request.log.error({ fileId: record.id, storageKey: record.storageKey }, 'file bytes missing');
        return fail(reply, new CommandError('not_found', 'no such file'));
      }
      const inline = inlineImageTypes.has(record.mime);
      const maxAge = Math.max(0, Math.floor((grant.expiresAt - deps.clock.now()) / 1000));
      reply
        .header('Content-Type', record.mime === 'text/plain' ? 'text/plain; charset=utf-8' : record.mime)
        .header('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', record.name))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', downloadPolicy)
        // The widget shows images on the host's pages, another origin.
        .header('Cross-Origin-Resource-Policy', 'cross-origin')
        // The bytes under an id never change; the URL stops working with its token.
        .header('Cache-Control', `private, max-age=${maxAge}`)
        .header('Accept-Ranges', 'bytes');
      if (range) {
        reply
          .status(206)
          .header('Content-Range', `bytes ${range.start}-${range.end}/${record.size}`)
          .header('Content-Length', range.end - range.start + 1);
      } else {
        reply.header('Content-Length', record.size);
      }
      return reply.send(body);
    });
  });
}

/** Streams the upload into the store and judges its content; nothing stays stored if refused. */
async function receive(
  request: FastifyRequest,
  options: { store: BlobStore; maxBytes: number; allowedTypes: readonly string[] },
): Promise<Pick<FileRecord, 'id' | 'mime' | 'size' | 'width' | 'height' | 'durationMs' | 'storageKey'>> {
  const { store, maxBytes, allowedTypes } = options;
  const storageKey = randomBytes(24).toString('base64url');
  const inspector = new ContentInspector();
  // Not destroyed when the store stops early: the rest is drained, and the reply still arrives.
  const source = request.raw.iterator({ destroyOnReturn: false });
  async function* inspected() {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      inspector.observe(chunk);
      yield chunk;
    }
  }
  let size: number;
  try {
    size = await store.put(storageKey, inspected(), { maxBytes });
  } catch (error) {
    if (error instanceof BlobTooLargeError) throw tooLarge(maxBytes);
    throw error;
  }
  const sniffed = await inspector.sniff();
  if (!isTypeAllowed(sniffed.mime, allowedTypes)) {
    await store.delete(storageKey);
    throw new CommandError('file_type_not_allowed', `files of type ${sniffed.mime} are not accepted`);
  }
  const media = isMedia(sniffed.mime) ? await probeStored(store, storageKey, sniffed.mime, size, inspector.head) : {};
  return {
    id: newFileId(),
    mime: sniffed.mime,
    size,
    width: sniffed.width ?? media.width ?? null,
    height: sniffed.height ?? media.height ?? null,
    durationMs: media.durationMs ?? null,
    storageKey,
  };
}

/** What the uploader's client needs to show the file before the server's message arrives. */
function shownFacts(record: FileRecord): { width?: number; height?: number; duration?: number } {
  const { width, height, durationMs } = record;
  const sized = isInlineImage(record) || (record.mime.startsWith('video/') && width !== null && height !== null);
  return { ...(sized ? { width: width!, height: height! } : {}), ...(durationMs !== null ? { duration: durationMs } : {}) };
}

async function probeStored(store: BlobStore, key: string, mime: string, size: number, head: Uint8Array): Promise<MediaFacts> {
  const bytes = await store.open(key);
  return bytes ? probeMedia(bytes, mime, size, head) : {};
}

async function authenticate(request: FastifyRequest, auth: Authenticator) {
  const match = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '');
  if (!match) {
    throw new CommandError('unauthenticated', 'send the user’s token as "Authorization: Bearer <token>"');
  }
  return (await auth.verify(match[1]!)).user;
}

/** A full disk is the operator's to fix, and passes: retry later, like a send. */
const diskFullRetryAfterMs = 30_000;

/** What an upload that failed on the server's side answers. */
function uploadFailure(error: unknown, request: FastifyRequest): CommandError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    request.log.warn({ err: error }, 'no room for an upload');
    return new CommandError('unavailable', 'the server has no room for files now; retry later', {
      retryAfterMs: diskFullRetryAfterMs,
    });
  }
  request.log.error({ err: error, url: request.url }, 'upload failed');
  return new CommandError('internal', 'the server failed to store the file; retry later');
}

function tooLarge(maxBytes: number): CommandError {
  const mib = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new CommandError('file_too_large', `files may be at most ${maxBytes} bytes (${mib} MiB)`);
}

/**
 * CORS for allowed origins (the widget runs on the host's pages). Returns false for a
 * browser page of an origin that is not allowed.
 */


/** The protocol's error shape; `file_too_large` also says the limit, as `maxBytes`. */

/** RFC 6266: a plain ASCII fallback, and the exact name in UTF-8. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
