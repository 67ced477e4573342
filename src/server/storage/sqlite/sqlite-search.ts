/**
 * Full-text search over messages, and the upkeep of its index. The index holds the text
 * of every text message that is not recalled; it changes only inside the write
 * transaction that changes the message, so a search never sees one without the other.
 */
import type { Message } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import type { MessageSearchPage, MessageSearchQuery } from '../search-storage.js';
import type { SearchCandidateRow } from './search-statements.js';
import { toMessage, type Statements } from './statements.js';

/**
 * Candidates one search call reads at most, whoever may see them: this bounds the work of
 * a call however few of a common word's matches are the caller's, and the cursor goes on
 * from where it stopped.
 */
export const searchCandidatesMax = 5_000;

/** Shorter queries have no trigram to look up: they scan the user's own messages instead. */
const trigramLength = 3;

/** Indexes a new text message. Call inside the transaction that inserts it. */
export function indexMessage(
  sql: Statements,
  conversationId: string,
  seq: number,
  text: string,
): void {
  sql.insertSearchText.run({ conversationId, seq, text });
  sql.insertSearchRow.run({ conversationId, seq });
}

/**
 * A text message was edited: its index entry takes the new text and keeps its place in
 * the newest-first order. Call inside the transaction that rewrites the message.
 *
 * @example
 * reindexMessage(sql, conversationId, target.seq, edit.text);
 */
export function reindexMessage(
  sql: Statements,
  conversationId: string,
  seq: number,
  text: string,
): void {
  const row = sql.searchRow.get(conversationId, seq);
  if (row === undefined) {
    indexMessage(sql, conversationId, seq, text);
    return;
  }
  sql.deleteSearchText.run(row);
  sql.replaceSearchText.run({ row, conversationId, seq, text });
}

/**
 * A message is no longer searchable (recalled): its entry leaves the index. Does nothing
 * for a message that was not indexed. Call inside the transaction that recalls it.
 *
 * @example
 * unindexMessage(sql, conversationId, target.seq);
 */
export function unindexMessage(sql: Statements, conversationId: string, seq: number): void {
  const row = sql.searchRow.get(conversationId, seq);
  if (row === undefined) return;
  sql.deleteSearchText.run(row);
  sql.deleteSearchRow.run(conversationId, seq);
}

/**
 * One page of the user's matching messages, newest first. Queries of 3 characters or more
 * go through the trigram index; shorter ones (one or two CJK characters, say) scan the
 * user's own conversations. Either way at most `searchCandidatesMax` candidates are read.
 */
export function searchMessages(
  sql: Statements,
  userId: string,
  search: MessageSearchQuery,
): MessageSearchPage {
  const params = {
    userId,
    conversationId: search.conversationId ?? null,
    before: parseCursor(search.cursor),
  };
  const candidates =
    [...search.query].length >= trigramLength
      ? sql.searchIndexed.iterate({ ...params, phrase: asPhrase(search.query) })
      : sql.searchScan.iterate({ ...params, query: search.query });
  return collectPage(candidates, search.limit);
}

/**
 * Reads candidates until the page is full and one more match is known, or the budget is
 * spent. A cursor is the index row of the last candidate counted; the next page starts
 * below it.
 */
function collectPage(
  candidates: IterableIterator<SearchCandidateRow>,
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

function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return Number.MAX_SAFE_INTEGER;
  if (!/^[1-9]\d{0,14}$/.test(cursor)) {
    throw new CommandError('invalid_payload', 'cursor: not from a previous search', {
      issues: [{ path: 'cursor', message: 'not from a previous search' }],
    });
  }
  return Number(cursor);
}

/** The query as one FTS5 phrase: user input is matched as text, never read as query syntax. */
function asPhrase(query: string): string {
  return `"${query.replaceAll('"', '""')}"`;
}
