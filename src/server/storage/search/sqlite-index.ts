/**
 * SQLite's search index follows the messages instead of being written with them. A text
 * indexed in the transaction that stores its message made FTS5 write a small segment of
 * its own at every commit and merge them again and again: about 19 µs a message in
 * batches of 200 and 27 in batches of 50, the largest single part of an append. Indexed
 * later, in transactions of up to `rowsPerTransaction`, the same texts cost 12–14.
 *
 * The rule both sides keep: the index holds exactly the text messages whose `arrival` is
 * up to the `search_indexed` mark in `meta`, each with its current text. Arrivals only
 * grow (messages are never deleted), so everything after the mark is still to index; the
 * follower indexes it oldest first, reading each text as it is then (an edit or a recall
 * before that is simply what it finds), and moves the mark in the same transaction. An
 * edit or a recall touches the index only at or below the mark (timeline.ts). A search
 * reads the index up to the mark and the few messages after it directly (sql.ts), so it
 * finds every message the moment it is acknowledged. A crash before the follower ran
 * loses nothing: the messages are there, and it goes on from the mark when the storage
 * opens again.
 */
import { plainText } from '../../../protocol/index.js';
import { transactionNow } from '../sql/sqlite.js';
import type { SqliteConnection } from '../sqlite/connection.js';

/** The arrival up to which every text message is in the index. */
export const searchIndexedMark = `SELECT value FROM meta WHERE key = 'search_indexed'`;
/** How long a new message waits, at most, before the follower looks for it. */
export const searchFollowMs = 500;
/** Messages one indexing transaction reads at most: it holds the writer for ~12 µs each. */
const rowsPerTransaction = 2_000;

const unindexed = `
  SELECT arrival, type, json_extract(body, '$.text') AS text FROM messages
  WHERE arrival > $1 ORDER BY arrival LIMIT $2`;
const index = 'INSERT INTO message_search (rowid, text) VALUES ($1, $2)';
const moveMark = `UPDATE meta SET value = $1 WHERE key = 'search_indexed'`;
const newestArrival = 'SELECT max(arrival) AS arrival FROM messages';

/** The follower of one writing connection: started once migrated, stopped before it closes. */
export class SearchIndexFollower {
  #timer: ReturnType<typeof setInterval> | null = null;
  #running: Promise<void> | null = null;

  constructor(private readonly connection: SqliteConnection) {}

  /** Looks for new messages every `searchFollowMs` from now on. */
  start(): void {
    this.#timer ??= setInterval(() => {
      // A failure (a full disk, say) leaves the rest to the next look; searches still
      // find those messages after the mark.
      this.catchUp().catch(() => {});
    }, searchFollowMs);
    this.#timer.unref();
  }

  /** Stops looking; what was stored until now is indexed first (if that fails, the next start does it). */
  async stop(): Promise<void> {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
    await this.catchUp().catch(() => {});
  }

  /** Indexes every message stored so far, a transaction at a time, letting other writes in between. */
  catchUp(): Promise<void> {
    this.#running ??= this.#indexAll().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #indexAll(): Promise<void> {
    while (await this.connection.whenFree(() => this.connection.db.open && this.#indexSome())) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One transaction's worth, if anything is new; answers whether more may be left. */
  #indexSome(): boolean {
    const read = <T>(sql: string) => this.connection.prepared(sql).get() as T;
    // Read outside the transaction first, so that a quiet database costs no write.
    if ((read<{ arrival: number | null }>(newestArrival).arrival ?? 0) <= read<{ value: number }>(searchIndexedMark).value) {
      return false;
    }
    return transactionNow(this.connection, (now) => {
      const [{ value: mark }] = now.rows<{ value: number }>(searchIndexedMark) as [{ value: number }];
      const rows = now.rows<{ arrival: number; type: string; text: string | null }>(unindexed, [mark, rowsPerTransaction]);
      for (const row of rows) if (row.type === 'text' && row.text !== null) now.run(index, [row.arrival, plainText(row.text)]);
      if (rows.length > 0) now.run(moveMark, [rows.at(-1)!.arrival]);
      return rows.length === rowsPerTransaction;
    });
  }
}
