/**
 * The floor of durable messaging on SQLite: the least a chat server must write for each
 * message, made as cheap as SQLite allows. One file in WAL mode with `synchronous = FULL`
 * (a committed batch has reached the disk); per message: dedupe on (sender, clientId),
 * the conversation's next seq without gaps, the row, a trigram full-text entry, and the
 * sender's read position. It is what im-chat's storage is measured against, not a
 * product: no members, edits or sync.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

export interface MinimalAppend {
  conversationId: string;
  senderId: string;
  clientId: string;
  text: string;
  createdAt: number;
}

export interface MinimalMessage {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientId: string;
  text: string;
  createdAt: number;
}

export interface MinimalAppended {
  message: MinimalMessage;
  /** Stored before with this (sender, clientId): `message` is that original. */
  duplicate: boolean;
}

const schema = `
  CREATE TABLE IF NOT EXISTS messages (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sender_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (sender_id, client_id)
  );
  -- Keyed by the row's rowid, no copy of the text; deletable, since a recalled or edited
  -- message must leave the index (as im-chat's does).
  CREATE VIRTUAL TABLE IF NOT EXISTS message_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'trigram'
  );
  CREATE TABLE IF NOT EXISTS read_positions (
    conversation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
`;

interface StoredRow {
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  id: string;
  body: string;
  created_at: number;
}

/** Synchronous: each `commit` is one transaction, durable when it returns. */
export class MinimalStore {
  readonly #db: Database.Database;
  readonly #find: Database.Statement<[string, string], StoredRow>;
  readonly #nextSeq: Database.Statement<[string], { seq: number }>;
  readonly #insert: Database.Statement<unknown[]>;
  readonly #index: Database.Statement<[number | bigint, string]>;
  readonly #advanceRead: Database.Statement<[string, string, number]>;
  readonly #commit: Database.Transaction<(inputs: readonly MinimalAppend[]) => MinimalAppended[]>;

  constructor(filename: string) {
    this.#db = new Database(filename);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(schema);
    this.#find = this.#db.prepare('SELECT * FROM messages WHERE sender_id = ? AND client_id = ?');
    // The unique (conversation_id, seq) index answers this from its last entry.
    this.#nextSeq = this.#db.prepare(
      'SELECT coalesce(max(seq), 0) + 1 AS seq FROM messages WHERE conversation_id = ?',
    );
    this.#insert = this.#db.prepare(
      'INSERT INTO messages (conversation_id, seq, sender_id, client_id, id, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#index = this.#db.prepare('INSERT INTO message_search (rowid, text) VALUES (?, ?)');
    this.#advanceRead = this.#db.prepare(
      `INSERT INTO read_positions (conversation_id, user_id, seq) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET seq = max(seq, excluded.seq)`,
    );
    this.#commit = this.#db.transaction((inputs: readonly MinimalAppend[]) => this.#appendAll(inputs));
  }

  /** The batch in one transaction: one durable commit for all of it. */
  commit(inputs: readonly MinimalAppend[]): MinimalAppended[] {
    return this.#commit.immediate(inputs);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #appendAll(inputs: readonly MinimalAppend[]): MinimalAppended[] {
    const texts: [number | bigint, string][] = [];
    const results = inputs.map((input): MinimalAppended => {
      const stored = this.#find.get(input.senderId, input.clientId);
      if (stored) return { message: toMessage(stored), duplicate: true };
      const { seq } = this.#nextSeq.get(input.conversationId)!;
      const message: MinimalMessage = { id: randomUUID(), seq, ...input };
      const body = JSON.stringify({ type: 'text', text: input.text });
      const { lastInsertRowid } = this.#insert.run(
        input.conversationId, seq, input.senderId, input.clientId, message.id, body, input.createdAt,
      );
      this.#advanceRead.run(input.conversationId, input.senderId, seq);
      texts.push([lastInsertRowid, input.text]);
      return { message, duplicate: false };
    });
    // Indexed together at the end, the batch's terms go to FTS5 as one segment.
    for (const [rowid, text] of texts) this.#index.run(rowid, text);
    return results;
  }
}

function toMessage(row: StoredRow): MinimalMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id,
    text: (JSON.parse(row.body) as { text: string }).text,
    createdAt: row.created_at,
  };
}
