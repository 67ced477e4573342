/**
 * Full-text search on PostgreSQL. Each message row carries its searchable text (lower
 * case; null unless a text message that is not recalled), written by the statement that
 * writes the message, so a search never sees one without the other. A trigram index
 * (pg_trgm) finds substrings of three characters or more in any script; shorter queries
 * scan the user's own conversations, as on SQLite.
 */
import { fold } from '../postgres/fold.js';
import type { Queryable } from '../postgres/pg-database.js';
import { messageColumns } from '../rows.js';
import {
  collectPage,
  parseSearchCursor,
  searchCandidatesMax,
  usesTrigrams,
  type SearchCandidateRow,
} from './page.js';
import type { SearchStorage } from './contract.js';

/**
 * Candidates (`hit`: arrival, conversation_id, seq, visible) newest first, at most
 * `searchCandidatesMax`; then, for the visible ones the page can use, the messages.
 * Parameters: $1 pattern, $2 user, $3 conversation or null, $4 before, $5 candidates,
 * $6 the visible candidates a page reads (its limit and one more).
 */
const pageOf = (candidates: string) => `
  WITH hit AS (${candidates}),
  counted AS (
    SELECT hit.*, count(*) FILTER (WHERE hit.visible) OVER (ORDER BY hit.arrival DESC) AS shown
    FROM hit
  )
  SELECT counted.arrival AS hit_row, ${messageColumns.replace(/(\w+)/g, 'm.$1')}
  FROM counted
  LEFT JOIN messages m ON counted.visible AND counted.shown <= $6
    AND m.conversation_id = counted.conversation_id AND m.seq = counted.seq
  ORDER BY counted.arrival DESC`;

/**
 * Matches through the index; visible if the user is or was in the conversation (up to
 * where they left).
 */
const searchIndexed = pageOf(`
  SELECT h.arrival, h.conversation_id, h.seq, own.user_id IS NOT NULL AS visible
  FROM messages h
  LEFT JOIN conversation_members own ON own.conversation_id = h.conversation_id
    AND own.user_id = $2 AND (own.left_seq IS NULL OR h.seq <= own.left_seq)
  WHERE h.search_text LIKE $1 AND h.arrival < $4
    AND ($3::text IS NULL OR h.conversation_id = $3)
  ORDER BY h.arrival DESC
  LIMIT $5`);

/** The user's own searchable messages; visible if their text contains the query. */
const searchScan = pageOf(`
  SELECT h.arrival, h.conversation_id, h.seq, h.search_text LIKE $1 AS visible
  FROM conversation_members own
  JOIN messages h ON h.conversation_id = own.conversation_id
  WHERE own.user_id = $2 AND ($3::text IS NULL OR own.conversation_id = $3)
    AND h.search_text IS NOT NULL AND (own.left_seq IS NULL OR h.seq <= own.left_seq)
    AND h.arrival < $4
  ORDER BY h.arrival DESC
  LIMIT $5`);

export function postgresSearch(db: Queryable): SearchStorage {
  return {
    read: {
      async messages(userId, search) {
        const candidates = await db.rows<SearchCandidateRow>(usesTrigrams(search.query) ? searchIndexed : searchScan, [
          `%${escapeLike(fold(search.query))}%`,
          userId,
          search.conversationId ?? null,
          parseSearchCursor(search.cursor),
          searchCandidatesMax,
          search.limit + 1,
        ]);
        return collectPage(candidates, search.limit);
      },
    },
    write: {},
  };
}

/** The query is matched as text: LIKE's wildcards in it are taken literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
