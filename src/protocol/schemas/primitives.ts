/** The building blocks of every payload. */
import { z } from 'zod';
import { limits } from '../limits.js';

// C0 control characters other than tab, line feed and carriage return.
export const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A user or conversation id: printable ASCII without spaces, as the host's system issues them. */
export const Id = z
  .string()
  .min(1)
  .max(limits.idLength)
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

/** Client-chosen idempotency key of a message (a UUID works). */
export const ClientId = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_-]{${limits.clientIdMinLength},${limits.clientIdMaxLength}}$`),
    `must be ${limits.clientIdMinLength}-${limits.clientIdMaxLength} characters of A-Z a-z 0-9 _ -`,
  );

/** Milliseconds since the Unix epoch, as the server's clock saw it. */
export const Timestamp = z.number().int().nonnegative();

export const Seq = z.number().int().nonnegative();

export const HttpUrl = z
  .string()
  .max(limits.urlLength)
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(limits.nameLength)
  .refine((value) => !controlCharacters.test(value), 'must not contain control characters');

/** An uploaded file's id, as `POST /api/files` returned it. */
export const FileId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a file id as the upload returned it');

export const FileName = z
  .string()
  .min(1)
  .max(limits.fileNameLength)
  .refine((value) => !controlCharacters.test(value) && !/[\\/]/.test(value), 'must be a plain file name');

export const User = z.object({
  id: Id,
  name: DisplayName,
  avatar: HttpUrl.nullable(),
  /** An automated sender (order updates, a bot) set up by the host; only present when true. */
  bot: z.literal(true).optional(),
  /** The host deleted this account: its name is a placeholder; only present when true. */
  deleted: z.literal(true).optional(),
});

export const GroupRole = z.enum(['owner', 'admin', 'member']);

/** Who may join a group with an invite link: at once, after approval, or nobody. */
export const JoinPolicy = z.enum(['open', 'approval', 'closed']);

export const GroupName = DisplayName;

export const GroupDescription = z
  .string()
  .max(limits.descriptionLength)
  .refine((value) => !controlCharacters.test(value), 'must not contain control characters');

export const GroupAnnouncement = z
  .string()
  .max(limits.announcementLength)
  .refine((value) => !controlCharacters.test(value), 'must not contain control characters');

export type User = z.infer<typeof User>;
export type GroupRole = z.infer<typeof GroupRole>;
export type JoinPolicy = z.infer<typeof JoinPolicy>;

