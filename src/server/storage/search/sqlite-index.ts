/**
 * The upkeep of the SQLite search index, called by the transactions that write messages:
 * `message_search` (FTS5, trigram) holds the text of every text message that is not
 * recalled; `message_search_rows` maps its rows to messages both ways (reading the index's
 * own columns row by row is slow). Rows are numbered in arrival order, so "newest first"
 * is "highest row first". The index changes only inside the write transaction that
 * changes the message, so a search never sees one without the other.
 */
import type { Database } from 'better-sqlite3';

export type SearchIndexStatements = ReturnType<typeof prepareSearchIndexStatements>;

export function prepareSearchIndexStatements(db: Database) {
  return {
    searchRow: db
      .prepare<[string, number], number>(
        'SELECT row FROM message_search_rows WHERE conversation_id = ? AND seq = ?',
      )
      .pluck(),
    insertSearchText: db.prepare<[{ conversationId: string; seq: number; text: string }], unknown>(
      `INSERT INTO message_search (text, conversation_id, seq)
       VALUES (@text, @conversationId, @seq)`,
    ),
    // Right after insertSearchText, in the same transaction.
    insertSearchRow: db.prepare<[{ conversationId: string; seq: number }], unknown>(
      `INSERT INTO message_search_rows (row, conversation_id, seq)
       VALUES (last_insert_rowid(), @conversationId, @seq)`,
    ),
    replaceSearchText: db.prepare<
      [{ row: number; conversationId: string; seq: number; text: string }],
      unknown
    >(
      `INSERT INTO message_search (rowid, text, conversation_id, seq)
       VALUES (@row, @text, @conversationId, @seq)`,
    ),
    deleteSearchText: db.prepare<[number], unknown>('DELETE FROM message_search WHERE rowid = ?'),
    deleteSearchRow: db.prepare<[string, number], unknown>(
      'DELETE FROM message_search_rows WHERE conversation_id = ? AND seq = ?',
    ),
  };
}

/** Indexes a new text message. Call inside the transaction that inserts it. */
export function indexMessage(
  sql: SearchIndexStatements,
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
  sql: SearchIndexStatements,
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
export function unindexMessage(sql: SearchIndexStatements, conversationId: string, seq: number): void {
  const row = sql.searchRow.get(conversationId, seq);
  if (row === undefined) return;
  sql.deleteSearchText.run(row);
  sql.deleteSearchRow.run(conversationId, seq);
}
