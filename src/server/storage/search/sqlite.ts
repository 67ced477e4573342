/** Message search on SQLite: the trigram index (see sqlite-index.ts), or a scan for short queries. */
import type { Database } from 'better-sqlite3';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { SearchStorage } from './contract.js';
import { collectPage, parseSearchCursor, usesTrigrams, type SearchCandidateRow } from './page.js';

interface CandidateParams {
  userId: string;
  conversationId: string | null;
  /** Only index rows below this one (the cursor). */
  before: number;
}

function prepare(db: Database) {
  return {
    /**
     * Rows whose text contains the phrase, newest first, each with the message if the user
     * may see it: they are or were in its conversation (up to where they left) and it is
     * still text. The index drives the loop, never the messages table, and the caller
     * stops reading once its page is full.
     */
    searchIndexed: db.prepare<[CandidateParams & { phrase: string }], SearchCandidateRow>(`
      SELECT hit.rowid AS hit_row, m.*
      FROM message_search hit
      JOIN messages entry ON entry.arrival = hit.rowid
      LEFT JOIN conversation_members cm ON cm.conversation_id = entry.conversation_id
        AND cm.user_id = @userId AND (cm.left_seq IS NULL OR entry.seq <= cm.left_seq)
        AND (@conversationId IS NULL OR cm.conversation_id = @conversationId)
      -- Still a text message: a recall that has not reached the index yet hides it too.
      LEFT JOIN messages m ON cm.user_id IS NOT NULL AND m.arrival = entry.arrival AND m.type = 'text'
      WHERE message_search MATCH @phrase AND hit.rowid < @before
      ORDER BY hit.rowid DESC`),
    /**
     * For queries too short for trigrams: the user's own entries, newest first, each with
     * the message if it is text that contains the query (case-insensitive). Only the
     * compact (conversation, seq, arrival) index is sorted; texts are read one by one as
     * the caller asks. Events count as candidates too: they bound the work the same way.
     */
    searchScan: db.prepare<[CandidateParams & { query: string }], SearchCandidateRow>(`
      SELECT hit.arrival AS hit_row, m.*
      FROM (
        SELECT entry.arrival
        FROM conversation_members own CROSS JOIN messages entry
        WHERE own.user_id = @userId
          AND (@conversationId IS NULL OR own.conversation_id = @conversationId)
          AND entry.conversation_id = own.conversation_id
          AND (own.left_seq IS NULL OR entry.seq <= own.left_seq)
          AND entry.arrival < @before
        ORDER BY entry.arrival DESC
      ) hit
      LEFT JOIN messages m ON m.arrival = hit.arrival
        AND m.type = 'text' AND instr(im_fold(json_extract(m.body, '$.text')), im_fold(@query)) > 0
      ORDER BY hit.arrival DESC`),
  };
}

/**
 * One page of the user's matching messages, newest first. Queries of 3 characters or more
 * go through the trigram index; shorter ones (one or two CJK characters, say) scan the
 * user's own conversations. Either way at most `searchCandidatesMax` candidates are read.
 */
export function sqliteSearch(connection: SqliteConnection): SearchStorage {
  return {
    read: {
      async messages(userId, search) {
        const params = {
          userId,
          conversationId: search.conversationId ?? null,
          before: parseSearchCursor(search.cursor),
        };
        return connection.run(prepare, (sql) => {
          const candidates = usesTrigrams(search.query)
            ? sql.searchIndexed.iterate({ ...params, phrase: asPhrase(search.query) })
            : sql.searchScan.iterate({ ...params, query: search.query });
          return collectPage(candidates, search.limit);
        });
      },
    },
    write: {},
  };
}

/** The query as one FTS5 phrase: user input is matched as text, never read as query syntax. */
function asPhrase(query: string): string {
  return `"${query.replaceAll('"', '""')}"`;
}
