/**
 * The upkeep of the SQLite search index, called by the transactions that write messages:
 * `message_search` (FTS5, trigram, contentless) holds the text of every text message that
 * is not recalled, under the message's `arrival` (its rowid in `messages`, numbered in
 * arrival order), so "newest first" is "highest row first" and a hit is joined to its
 * message by rowid. The index changes only inside the write transaction that changes the
 * message, so a search never sees one without the other.
 */
import type { Database } from 'better-sqlite3';

export type SearchIndexStatements = ReturnType<typeof prepareSearchIndexStatements>;

export function prepareSearchIndexStatements(db: Database) {
  return {
    insertText: db.prepare<[{ arrival: number; text: string }], unknown>(
      'INSERT INTO message_search (rowid, text) VALUES (@arrival, @text)',
    ),
    // Contentless with deletes: a replaced row needs no old text, and keeps its rowid.
    replaceText: db.prepare<[{ conversationId: string; seq: number; text: string }], unknown>(`
      INSERT OR REPLACE INTO message_search (rowid, text)
      SELECT arrival, @text FROM messages WHERE conversation_id = @conversationId AND seq = @seq`),
    deleteText: db.prepare<[{ conversationId: string; seq: number }], unknown>(`
      DELETE FROM message_search
      WHERE rowid = (SELECT arrival FROM messages WHERE conversation_id = @conversationId AND seq = @seq)`),
  };
}

/** Indexes a new text message by its arrival. Call inside the transaction that inserts it. */
export function indexMessage(sql: SearchIndexStatements, arrival: number, text: string): void {
  sql.insertText.run({ arrival, text });
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
  sql.replaceText.run({ conversationId, seq, text });
}

/**
 * A message is no longer searchable (recalled): its entry leaves the index. Does nothing
 * for a message that was not indexed. Call inside the transaction that recalls it.
 *
 * @example
 * unindexMessage(sql, conversationId, target.seq);
 */
export function unindexMessage(sql: SearchIndexStatements, conversationId: string, seq: number): void {
  sql.deleteText.run({ conversationId, seq });
}
