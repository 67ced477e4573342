import type { Message } from '../../protocol/index.js';

/** A piece of an excerpt: plain text, or a part that matched the query. */
export interface ExcerptPart {
  text: string;
  match: boolean;
}

/** Characters of context shown before the first match, and in all. */
const before = 30;
const length = 140;

/**
 * The part of `text` around the first case-insensitive occurrence of `query`, split
 * into matched and unmatched pieces, so that a template can emphasise the matches
 * without building markup from strings.
 */
export function excerptParts(text: string, query: string): ExcerptPart[] {
  const needle = query.trim();
  const flat = text.replace(/\s+/g, ' ');
  if (needle === '') return [{ text: flat.slice(0, length), match: false }];
  const pattern = new RegExp(`(${escapeRegExp(needle)})`, 'giu');
  const first = flat.search(pattern);
  const start = first > before ? first - before : 0;
  const window = flat.slice(start, start + length);
  const parts = window
    .split(pattern)
    // split() with a capture group puts the matches at the odd indices.
    .map((piece, index) => ({ text: piece, match: index % 2 === 1 }))
    .filter((part) => part.text !== '');
  if (start > 0) parts.unshift({ text: '…', match: false });
  if (start + length < flat.length) parts.push({ text: '…', match: false });
  return parts;
}

/** Local and server results as one list: each message once, newest first. */
export function mergeResults(...lists: readonly Message[][]): Message[] {
  const byId = new Map<string, Message>();
  // Later lists win: the server's copy is the authority on edits.
  for (const list of lists) for (const message of list) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
