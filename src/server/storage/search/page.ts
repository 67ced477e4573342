/**
 * How a search call reads its candidates and cuts its pages, whichever storage finds
 * them (see contract.ts).
 */
import type { Message } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import type { MessageSearchPage } from './contract.js';
import { toMessage, type MessageRow } from '../rows.js';

/**
 * Candidates one search call reads at most, whoever may see them: this bounds the work of
 * a call however few of a common word's matches are the caller's, and the cursor goes on
 * from where it stopped.
 */
export const searchCandidatesMax = 5_000;

/** Shorter queries have no trigram to look up: they scan the user's own messages instead. */
export const trigramLength = 3;

/** A search candidate, newest first; the message columns are null unless the user may see it. */
export type SearchCandidateRow = { hit_row: number } & (
  | MessageRow
  | { [K in keyof MessageRow]: null }
);

/**
 * Reads candidates until the page is full and one more match is known, or the budget is
 * spent. A cursor is the index row of the last candidate counted; the next page starts
 * below it.
 */
export function collectPage(
  candidates: Iterable<SearchCandidateRow>,
  limit: number,
): MessageSearchPage {
  const messages: Message[] = [];
  let lastRow = 0;
  let read = 0;
  // Leaving the loop early ends the statement: nothing past the page is read.
  for (const candidate of candidates) {
    if (candidate.id !== null) {
      if (messages.length === limit) return { messages, cursor: String(lastRow) };
      messages.push(toMessage(candidate));
      lastRow = candidate.hit_row;
    }
    if (++read === searchCandidatesMax) return { messages, cursor: String(candidate.hit_row) };
  }
  return { messages, cursor: null };
}

/** The index row below which a page starts. */
export function parseSearchCursor(cursor: string | undefined): number {
  if (cursor === undefined) return Number.MAX_SAFE_INTEGER;
  if (!/^[1-9]\d{0,14}$/.test(cursor)) {
    throw new CommandError('invalid_payload', 'cursor: not from a previous search', {
      issues: [{ path: 'cursor', message: 'not from a previous search' }],
    });
  }
  return Number(cursor);
}

/** Whether a query is long enough for the trigram index. */
export function usesTrigrams(query: string): boolean {
  return [...query].length >= trigramLength;
}
