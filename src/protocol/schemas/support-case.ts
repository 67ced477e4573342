/** A support case as agents see it, and the page context it carries. */
import { z } from 'zod';
import { limits } from '../limits.js';
import { controlCharacters, HttpUrl, Id, Timestamp } from './primitives.js';

export const PlainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters');

/** The page the customer is on. */
export const PageInfo = z.strictObject({
  url: HttpUrl,
  title: PlainText(limits.pageTitleLength),
});

/**
 * What the host says about the page, e.g. the product: a flat object of at most
 * `limits.supportContextKeys` keys whose values are short strings, numbers, booleans or null.
 */
export const SupportContext = z
  .record(
    z
      .string()
      .min(1)
      .max(limits.supportContextKeyLength)
      .refine((key) => !controlCharacters.test(key), 'must not contain control characters'),
    z.union([PlainText(limits.supportContextValueLength), z.number().finite(), z.boolean(), z.null()]),
  )
  .refine((context) => Object.keys(context).length <= limits.supportContextKeys, {
    message: `must have at most ${limits.supportContextKeys} keys`,
  });

export const Email = z
  .string()
  .trim()
  .max(limits.emailLength)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address');

export const SupportStatus = z.enum(['open', 'resolved']);

/** What agents know of a support conversation; customers never see it. */
export const SupportCase = z.object({
  /** The visitor or signed-in user who asks. */
  customerId: Id,
  /** "Visitor #1234": the number of an anonymous visitor; null for a signed-in customer. */
  visitorNumber: z.number().int().positive().nullable(),
  status: SupportStatus,
  /** From the pre-chat form. */
  email: Email.nullable(),
  /** The page the customer was last on, and what the host said about it. */
  page: PageInfo.nullable(),
  context: SupportContext.nullable(),
  /** When it was opened, or last reopened. */
  openedAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
});

export type PageInfo = z.infer<typeof PageInfo>;
export type SupportContext = z.infer<typeof SupportContext>;
export type SupportStatus = z.infer<typeof SupportStatus>;
export type SupportCase = z.infer<typeof SupportCase>;
