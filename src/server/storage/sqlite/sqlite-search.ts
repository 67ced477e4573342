/**
 * Full-text search over messages, and the upkeep of its index. The index holds the text
 * of every text message that is not recalled; it changes only inside the write
 * transaction that changes the message, so a search never sees one without the other.
 */
import { collectPage, parseSearchCursor, usesTrigrams } from '../search-page.js';
import type { MessageSearchPage, MessageSearchQuery } from '../search-storage.js';
import type { prepareSearchStatements } from './search-statements.js';
import type { Statements } from './statements.js';

type SearchStatements = ReturnType<typeof prepareSearchStatements>;

/** Indexes a new text message. Call inside the transaction that inserts it. */
export function indexMessage(
  sql: SearchStatements,
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
  sql: SearchStatements,
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
export function unindexMessage(sql: SearchStatements, conversationId: string, seq: number): void {
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
    before: parseSearchCursor(search.cursor),
  };
  const candidates =
    usesTrigrams(search.query)
      ? sql.searchIndexed.iterate({ ...params, phrase: asPhrase(search.query) })
      : sql.searchScan.iterate({ ...params, query: search.query });
  return collectPage(candidates, search.limit);
}

/** The query as one FTS5 phrase: user input is matched as text, never read as query syntax. */
function asPhrase(query: string): string {
  return `"${query.replaceAll('"', '""')}"`;
}
