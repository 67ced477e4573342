/**
 * Full-text search on either backend. The index is kept by the transactions that write
 * messages, so a search never sees a message without its text or the other way round:
 * on SQLite a contentless FTS5 trigram table keyed by each message's `arrival`, on
 * PostgreSQL each row's folded `search_text` under a pg_trgm index. Queries of three
 * characters or more go through the index; shorter ones (one or two CJK characters, say)
 * scan the user's own conversations. Either way a call reads a bounded number of
 * candidates, newest first, and joins the messages of the page only.
 */
import type { Message } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import { fold } from '../postgres/fold.js';
import { messageColumns, toMessage, type MessageRow } from '../rows.js';
import type { DialectSql, SqlDatabase } from '../sql/sql.js';
import type { MessageSearchPage, SearchStorage } from './contract.js';

/**
 * Candidates one search call reads at most, whoever may see them: this bounds the work of
 * a call however few of a common word's matches are the caller's, and the cursor goes on
 * from where it stopped.
 */
const candidatesMax = 5_000;

/** Shorter queries have no trigram to look up: they scan the user's own messages instead. */
const trigramLength = 3;

/** A candidate, newest first; the message columns are null unless the page shows it. */
type CandidateRow = { hit_row: number } & (MessageRow | { [K in keyof MessageRow]: null });

/**
 * PostgreSQL sends a statement's rows whole: candidates (`hit`: arrival, conversation_id,
 * seq, visible) newest first, at most `candidatesMax`, and the messages of the visible
 * ones the page can use ($6: its limit and one more). SQLite's statements join every
 * visible candidate's message instead, as the page reads them: it stops reading when the
 * page is full, and the budget of candidates is counted as they are read.
 * Parameters: $1 what to match, $2 user, $3 conversation or null, $4 before, $5, $6.
 */
const pageOnPostgres = (candidates: string) => `
  WITH hit AS (${candidates} AND h.arrival < $4 AND ($3::text IS NULL OR h.conversation_id = $3)
    ORDER BY h.arrival DESC LIMIT $5),
  counted AS (
    SELECT hit.*, count(*) FILTER (WHERE hit.visible) OVER (ORDER BY hit.arrival DESC) AS shown
    FROM hit
  )
  SELECT counted.arrival AS hit_row, ${messageColumns.replace(/(\w+)/g, 'm.$1')}
  FROM counted
  LEFT JOIN messages m ON counted.visible AND counted.shown <= $6
    AND m.conversation_id = counted.conversation_id AND m.seq = counted.seq
  ORDER BY counted.arrival DESC`;

/** Visible where the user is or was in the conversation, up to where they left. */
const ownedBy = `own.conversation_id = h.conversation_id AND own.user_id = $2
  AND (own.left_seq IS NULL OR h.seq <= own.left_seq)`;

/** Matches through the index: $1 is the query as one FTS5 phrase, or a LIKE pattern. */
const searchIndexed: DialectSql = {
  // The index drives the loop, never the messages table. Still a text message: a recall
  // that has not reached the index yet hides it too.
  sqlite: `
    SELECT hit.rowid AS hit_row, m.*
    FROM message_search hit
    JOIN messages h ON h.arrival = hit.rowid
    LEFT JOIN conversation_members own ON ${ownedBy} AND ($3 IS NULL OR own.conversation_id = $3)
    LEFT JOIN messages m ON own.user_id IS NOT NULL AND m.arrival = h.arrival AND m.type = 'text'
    WHERE message_search MATCH $1 AND hit.rowid < $4
    ORDER BY hit.rowid DESC`,
  postgres: pageOnPostgres(`
    SELECT h.arrival, h.conversation_id, h.seq, own.user_id IS NOT NULL AS visible
    FROM messages h LEFT JOIN conversation_members own ON ${ownedBy}
    WHERE h.search_text LIKE $1`),
};

/**
 * The user's own entries, each visible if a text containing the query ($1: folded, or a
 * LIKE pattern). On SQLite only the compact (conversation, seq, arrival) index is sorted
 * and texts are read one by one as the page asks; events count as candidates too.
 */
const searchScan: DialectSql = {
  sqlite: `
    SELECT hit.arrival AS hit_row, m.*
    FROM (
      SELECT h.arrival
      FROM conversation_members own CROSS JOIN messages h
      WHERE own.user_id = $2 AND ($3 IS NULL OR own.conversation_id = $3)
        AND h.conversation_id = own.conversation_id
        AND (own.left_seq IS NULL OR h.seq <= own.left_seq) AND h.arrival < $4
      ORDER BY h.arrival DESC
    ) hit
    LEFT JOIN messages m ON m.arrival = hit.arrival
      AND m.type = 'text' AND instr(im_fold(json_extract(m.body, '$.text')), $1) > 0
    ORDER BY hit.arrival DESC`,
  postgres: pageOnPostgres(`
    SELECT h.arrival, h.conversation_id, h.seq, h.search_text LIKE $1 AS visible
    FROM conversation_members own JOIN messages h ON ${ownedBy}
    WHERE own.user_id = $2 AND h.search_text IS NOT NULL`),
};

export function sqlSearch(db: SqlDatabase): SearchStorage {
  return {
    read: {
      async messages(userId, search) {
        const indexed = [...search.query].length >= trigramLength;
        const match = db.dialect === 'postgres' ? likePattern(search.query) : indexed ? asPhrase(search.query) : fold(search.query);
        const values = [match, userId, search.conversationId ?? null, parseCursor(search.cursor), candidatesMax, search.limit + 1];
        return db.consume<CandidateRow, MessageSearchPage>(indexed ? searchIndexed : searchScan, values, (candidates) =>
          collectPage(candidates, search.limit),
        );
      },
    },
    write: {},
  };
}

/** The query as one FTS5 phrase: user input is matched as text, never read as query syntax. */
function asPhrase(query: string): string {
  return `"${query.replaceAll('"', '""')}"`;
}

/** The query as a LIKE pattern of its folded text: its wildcards are taken literally. */
function likePattern(query: string): string {
  return `%${fold(query).replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The page: the visible candidates until it is full and one more match is known, or the
 * budget is spent. A cursor is the index row of the last candidate counted; the next page
 * starts below it.
 */
function collectPage(candidates: Iterable<CandidateRow>, limit: number): MessageSearchPage {
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
    if (++read === candidatesMax) return { messages, cursor: String(candidate.hit_row) };
  }
  return { messages, cursor: null };
}

/** The index row below which a page starts. */
function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return Number.MAX_SAFE_INTEGER;
  if (!/^[1-9]\d{0,14}$/.test(cursor)) {
    throw new CommandError('invalid_payload', 'cursor: not from a previous search', {
      issues: [{ path: 'cursor', message: 'not from a previous search' }],
    });
  }
  return Number(cursor);
}
