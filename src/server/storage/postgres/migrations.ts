import { randomBytes } from 'node:crypto';
import { applyPending, type Migration } from '../migration-runner.js';
import type { PgDatabase, PgTransaction } from './pg-database.js';

type PgMigration = Migration<PgTransaction>;

// Ids, codes and folded names compare and sort byte by byte, as in SQLite: the same
// order whatever the database's locale.
const key = 'text COLLATE "C" NOT NULL';

/**
 * Append only: a released migration never changes; a schema change is a new entry. The
 * first one builds the schema the SQLite migrations 1 to 4 arrived at; flags are 0/1
 * integers there too, so that rows map through the same converters (storage/rows.ts).
 */
const migrations: readonly PgMigration[] = [
  {
    version: 1,
    name: 'users, conversations, members, messages, groups, invites, files, push, search',
    async up(tx) {
      await tx.exec(`
        CREATE TABLE meta (
          key text PRIMARY KEY,
          value text NOT NULL
        );
        -- One row: the counter that orders changes for sync (see PgTransaction).
        CREATE TABLE change_version (
          value bigint NOT NULL
        );
        INSERT INTO change_version (value) VALUES (0);

        CREATE TABLE users (
          id ${key} PRIMARY KEY,
          name text NOT NULL,
          avatar text,
          -- Lower-cased by the server (as SQLite's im_fold): matching and order never
          -- depend on the database's locale.
          name_folded ${key},
          id_folded ${key},
          created_at bigint NOT NULL,
          updated_at bigint NOT NULL,
          last_seen_at bigint
        );

        CREATE TABLE conversations (
          id ${key} PRIMARY KEY,
          type text NOT NULL CHECK (type IN ('single', 'group')),
          created_by ${key} REFERENCES users (id),
          created_at bigint NOT NULL,
          last_seq integer NOT NULL DEFAULT 0,
          updated_at bigint NOT NULL,
          version bigint NOT NULL DEFAULT 0,
          name text,
          avatar text,
          description text NOT NULL DEFAULT '',
          announcement text NOT NULL DEFAULT '',
          join_policy text NOT NULL DEFAULT 'open'
            CHECK (join_policy IN ('open', 'approval', 'closed')),
          muted_all smallint NOT NULL DEFAULT 0,
          dismissed_at bigint,
          member_count integer NOT NULL DEFAULT 0,
          mention_all_seq integer NOT NULL DEFAULT 0
        );

        CREATE TABLE conversation_members (
          conversation_id ${key} REFERENCES conversations (id),
          user_id ${key} REFERENCES users (id),
          read_seq integer NOT NULL DEFAULT 0,
          delivered_seq integer NOT NULL DEFAULT 0,
          version bigint NOT NULL DEFAULT 0,
          role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
          muted smallint NOT NULL DEFAULT 0,
          state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'left', 'removed')),
          joined_at bigint NOT NULL DEFAULT 0,
          left_seq integer,
          mention_seq integer NOT NULL DEFAULT 0,
          pinned_at bigint,
          notifications_muted smallint NOT NULL DEFAULT 0,
          -- Hidden while the conversation's last_seq is at most this.
          hidden_seq integer,
          marked_unread smallint NOT NULL DEFAULT 0,
          PRIMARY KEY (conversation_id, user_id)
        );
        CREATE INDEX conversation_members_by_user ON conversation_members (user_id);

        CREATE TABLE messages (
          conversation_id ${key} REFERENCES conversations (id),
          seq integer NOT NULL,
          id ${key} UNIQUE,
          sender_id ${key} REFERENCES users (id),
          client_id ${key},
          type text NOT NULL,
          body text NOT NULL,
          created_at bigint NOT NULL,
          reply_to text,
          edited_at bigint,
          -- The lower-cased text of a text message that is not recalled; null otherwise.
          search_text text COLLATE "C",
          -- Arrival order across conversations: search pages read it newest first.
          arrival bigint GENERATED ALWAYS AS IDENTITY,
          PRIMARY KEY (conversation_id, seq),
          UNIQUE (sender_id, client_id)
        );

        CREATE TABLE invites (
          code ${key} PRIMARY KEY,
          conversation_id ${key} REFERENCES conversations (id),
          created_by ${key} REFERENCES users (id),
          created_at bigint NOT NULL,
          expires_at bigint,
          max_uses integer,
          uses integer NOT NULL DEFAULT 0,
          revoked_at bigint
        );
        CREATE INDEX invites_by_conversation ON invites (conversation_id, created_at);

        CREATE TABLE join_requests (
          conversation_id ${key} REFERENCES conversations (id),
          user_id ${key} REFERENCES users (id),
          invite_code ${key} REFERENCES invites (code),
          requested_at bigint NOT NULL,
          PRIMARY KEY (conversation_id, user_id)
        );

        CREATE TABLE files (
          id ${key} PRIMARY KEY,
          conversation_id ${key} REFERENCES conversations (id),
          uploader_id ${key} REFERENCES users (id),
          name text NOT NULL,
          mime text NOT NULL,
          size bigint NOT NULL,
          width integer,
          height integer,
          -- Where the blob store keeps the bytes; forwarded copies share it.
          storage_key text NOT NULL,
          created_at bigint NOT NULL
        );
        CREATE INDEX files_by_conversation ON files (conversation_id);
        CREATE INDEX files_by_storage_key ON files (storage_key);

        CREATE TABLE push_subscriptions (
          endpoint ${key} PRIMARY KEY,
          user_id ${key} REFERENCES users (id),
          p256dh text NOT NULL,
          auth text NOT NULL,
          created_at bigint NOT NULL
        );
        CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
      `);
      // The epoch names this incarnation of the data: a restored or wiped database gets
      // a new one, and sync cursors from before then trigger a full resync.
      await tx.run(`INSERT INTO meta (key, value) VALUES ('epoch', $1)`, [
        randomBytes(12).toString('base64url'),
      ]);
      await createSearchIndex(tx);
    },
  },
  {
    version: 2,
    name: 'support: support conversations, agents, visitors, cases, page views, activity',
    async up(tx) {
      await tx.exec(`
        ALTER TABLE conversations DROP CONSTRAINT conversations_type_check;
        ALTER TABLE conversations ADD CONSTRAINT conversations_type_check
          CHECK (type IN ('single', 'group', 'support'));

        -- No foreign key: the role may be given before the user first connects.
        CREATE TABLE support_agents (
          user_id ${key} PRIMARY KEY,
          granted_at bigint NOT NULL,
          last_assigned_at bigint NOT NULL DEFAULT 0
        );

        CREATE TABLE support_visitors (
          id ${key} PRIMARY KEY REFERENCES users (id),
          number integer NOT NULL UNIQUE,
          secret_hash text NOT NULL,
          created_at bigint NOT NULL,
          claimed_by text COLLATE "C" REFERENCES users (id),
          claimed_at bigint
        );
        CREATE INDEX support_visitors_by_claimer ON support_visitors (claimed_by);

        CREATE TABLE support_cases (
          conversation_id ${key} PRIMARY KEY REFERENCES conversations (id),
          customer_id ${key} REFERENCES users (id),
          status text NOT NULL CHECK (status IN ('open', 'resolved')),
          assignee_id text COLLATE "C" REFERENCES users (id),
          email text,
          page_url text,
          page_title text,
          context text,
          opened_at bigint NOT NULL,
          resolved_at bigint,
          away_notified smallint NOT NULL DEFAULT 0
        );
        CREATE INDEX support_cases_by_customer ON support_cases (customer_id);
        CREATE INDEX support_cases_open ON support_cases (status, assignee_id);

        CREATE TABLE support_page_views (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          conversation_id ${key} REFERENCES conversations (id),
          url text NOT NULL,
          title text NOT NULL,
          context text,
          at bigint NOT NULL
        );
        CREATE INDEX support_page_views_by_case ON support_page_views (conversation_id, id);

        CREATE TABLE support_activity (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          conversation_id ${key} REFERENCES conversations (id),
          kind text NOT NULL CHECK (kind IN ('assigned', 'resolved', 'reopened')),
          by_id text,
          agent_id text,
          at bigint NOT NULL
        );
        CREATE INDEX support_activity_by_case ON support_activity (conversation_id, id);

        INSERT INTO meta (key, value) VALUES ('visitor_number', '0');
      `);
    },
  },
  {
    version: 3,
    name: 'integrations: user accounts, idempotency keys, webhooks and their delivery queue',
    async up(tx) {
      await tx.exec(`
        ALTER TABLE users ADD COLUMN bot smallint NOT NULL DEFAULT 0;
        -- JSON array of host-defined role names.
        ALTER TABLE users ADD COLUMN roles text NOT NULL DEFAULT '[]';
        ALTER TABLE users ADD COLUMN blocked_at bigint;
        ALTER TABLE users ADD COLUMN deleted_at bigint;

        CREATE TABLE idempotency_keys (
          scope ${key},
          key ${key},
          fingerprint text NOT NULL,
          -- Null while the first request runs.
          status integer,
          response text,
          created_at bigint NOT NULL,
          PRIMARY KEY (scope, key)
        );
        CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

        CREATE TABLE webhooks (
          id ${key} PRIMARY KEY,
          url text NOT NULL,
          events text NOT NULL,
          secret text NOT NULL,
          created_at bigint NOT NULL
        );

        -- The id is the queue order.
        CREATE TABLE webhook_deliveries (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          webhook_id ${key} REFERENCES webhooks (id) ON DELETE CASCADE,
          event_id ${key},
          event_type text NOT NULL,
          order_key ${key},
          payload text NOT NULL,
          attempts integer NOT NULL DEFAULT 0,
          next_attempt_at bigint NOT NULL,
          last_error text,
          failed smallint NOT NULL DEFAULT 0,
          UNIQUE (webhook_id, event_id)
        );
        CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (failed, webhook_id, order_key, id);
      `);
    },
  },
  {
    version: 4,
    name: 'upload quota and orphan uploads: when a file was first sent, where a copy came from',
    async up(tx) {
      await tx.exec(`
        -- Set by the first message that carries the file; unsent files expire.
        ALTER TABLE files ADD COLUMN sent_at bigint;
        -- The record a forwarded copy was made from; null for an upload (what a quota counts).
        ALTER TABLE files ADD COLUMN forwarded_from text;
        -- Files stored before this version may be in messages: none of them is taken for an orphan.
        UPDATE files SET sent_at = created_at;
        CREATE INDEX files_unsent ON files (created_at) WHERE sent_at IS NULL;
        CREATE INDEX files_by_uploader ON files (uploader_id);
      `);
    },
  },
  {
    version: 5,
    name: 'announcements people confirm: the version of a group announcement, and each member\'s confirmation',
    async up(tx) {
      // The version is the seq of the event that set the announcement; a member confirmed
      // the current one when their seq equals it, so a new announcement resets everyone.
      await tx.exec(`
        ALTER TABLE conversations ADD COLUMN announcement_seq bigint NOT NULL DEFAULT 0;
        ALTER TABLE conversation_members ADD COLUMN announcement_confirmed_seq bigint NOT NULL DEFAULT 0;
      `);
    },
  },
  {
    version: 6,
    name: 'media files: how long audio and video play',
    async up(tx) {
      await tx.exec('ALTER TABLE files ADD COLUMN duration_ms bigint');
    },
  },
  {
    version: 7,
    name: 'appends: a batch of messages stored by one call (one round trip)',
    async up(tx) {
      // Called alone, it is its own transaction: see messages/postgres.ts for its input,
      // its answer and the rule its conditions repeat (messages/append-decision.ts).
      await tx.exec(`
        CREATE OR REPLACE FUNCTION im_append(batch json) RETURNS json LANGUAGE plpgsql AS $$
        DECLARE answer json; touched text[];
        BEGIN
          -- In id order, as every transaction that locks several does; read after the locks.
          PERFORM FROM conversations WHERE id IN (SELECT a.conversation_id
            FROM json_to_recordset(batch) AS a (conversation_id text)) ORDER BY id FOR UPDATE;
          WITH a AS (
            SELECT * FROM json_to_recordset(batch) AS a (i int, conversation_id text, sender_id text,
              client_id text, id text, type text, body json, created_at bigint, reply_to json,
              search_text text, file_id text, mentions text[], mention_all boolean)
          ), facts AS (
            SELECT a.*, row_to_json(m) AS stored, c.id IS NOT NULL AS known, c.dismissed_at IS NOT NULL AS dismissed,
              EXISTS (SELECT FROM conversation_members p WHERE p.conversation_id = a.conversation_id
                AND p.user_id = a.sender_id AND p.state = 'active') AS active
            FROM a LEFT JOIN messages m ON m.sender_id = a.sender_id AND m.client_id = a.client_id
            LEFT JOIN conversations c ON c.id = a.conversation_id
          ), sent AS (
            -- Marked sent as they are read: that locks them against the expiry of unsent ones.
            UPDATE files f SET sent_at = coalesce(f.sent_at, s.at)
            FROM (SELECT file_id, conversation_id, min(created_at) AS at FROM facts
                  WHERE stored IS NULL AND file_id IS NOT NULL GROUP BY 1, 2) AS s
            WHERE f.id = s.file_id AND f.conversation_id = s.conversation_id RETURNING f.id, f.conversation_id
          ), accepted AS (
            SELECT *, row_number() OVER (PARTITION BY conversation_id ORDER BY i) AS n FROM facts
            WHERE stored IS NULL AND known AND NOT dismissed AND active
              AND (file_id IS NULL OR (file_id, conversation_id) IN (SELECT * FROM sent))
          ), taken AS (
            UPDATE conversations c SET last_seq = c.last_seq + t.count,
              updated_at = greatest(c.updated_at, t.at), mention_all_seq = greatest(c.mention_all_seq, c.last_seq + t.all_n)
            FROM (SELECT conversation_id, count(*) AS count, max(created_at) AS at,
                    max(n) FILTER (WHERE mention_all) AS all_n FROM accepted GROUP BY 1) AS t
            WHERE c.id = t.conversation_id RETURNING c.id, c.last_seq - t.count AS base
          ), entries AS (
            SELECT a.*, t.base + a.n AS seq FROM accepted a JOIN taken t ON t.id = a.conversation_id
          ), inserted AS (
            -- In the batch's order: arrival, the order search lists, is taken row by row.
            INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at,
              reply_to, search_text)
            SELECT id, conversation_id, seq, sender_id, client_id, type, body::text, created_at,
              reply_to::text, search_text FROM entries ORDER BY i
          ), positions AS (
            -- One row per member: an UPDATE joined to two rows of one member would apply one.
            UPDATE conversation_members m SET read_seq = greatest(m.read_seq, p.read),
              delivered_seq = greatest(m.delivered_seq, p.read), mention_seq = greatest(m.mention_seq, p.mention)
            FROM (SELECT conversation_id, user_id, max(read) AS read, max(mention) AS mention FROM (
                    SELECT conversation_id, sender_id, seq, NULL FROM entries
                    UNION ALL SELECT conversation_id, user_id, NULL, seq FROM entries, unnest(mentions) AS user_id
                  ) AS q (conversation_id, user_id, read, mention) GROUP BY 1, 2) AS p
            WHERE m.conversation_id = p.conversation_id AND m.user_id = p.user_id AND m.state = 'active'
          )
          SELECT json_agg(json_build_object('i', f.i, 'stored', f.stored, 'found', f.known, 'dismissed', f.dismissed,
              'active', f.active, 'fileFound', (f.file_id, f.conversation_id) IN (SELECT * FROM sent), 'seq', e.seq)),
            array_agg(DISTINCT e.conversation_id) FILTER (WHERE e.seq IS NOT NULL)
          INTO answer, touched FROM facts f LEFT JOIN entries e USING (i);
          -- The change version last, as PgTransaction stamps it.
          IF touched IS NOT NULL THEN
            WITH version AS (UPDATE change_version SET value = value + 1 RETURNING value)
            UPDATE conversations c SET version = version.value FROM version WHERE c.id = ANY (touched);
          END IF;
          RETURN answer;
        END $$;
      `);
    },
  },
  {
    version: 8,
    name: 'reactions: who put which emoji on a message, as of its newest reaction event',
    async up(tx) {
      // Reactions JSON (seq and items); null until someone reacts, and again once recalled.
      await tx.exec('ALTER TABLE messages ADD COLUMN reactions text');
    },
  },
  {
    version: 9,
    name: 'blocks between users, bans from groups',
    async up(tx) {
      await tx.exec(`
        CREATE TABLE user_blocks (
          blocker_id text NOT NULL REFERENCES users (id),
          blocked_id text NOT NULL REFERENCES users (id),
          created_at bigint NOT NULL,
          PRIMARY KEY (blocker_id, blocked_id)
        );
        CREATE INDEX user_blocks_blocked ON user_blocks (blocked_id);
        CREATE TABLE group_bans (
          conversation_id text NOT NULL REFERENCES conversations (id),
          user_id text NOT NULL REFERENCES users (id),
          banned_by text NOT NULL REFERENCES users (id),
          banned_at bigint NOT NULL,
          PRIMARY KEY (conversation_id, user_id)
        );
      `);
    },
  },
  {
    version: 10,
    name: 'voice messages played: who started playing which, stamped with the change version for catch-up',
    async up(tx) {
      await tx.exec(`
        CREATE TABLE voice_plays (
          conversation_id text NOT NULL REFERENCES conversations (id),
          seq integer NOT NULL,
          user_id text NOT NULL REFERENCES users (id),
          played_at bigint NOT NULL,
          version bigint NOT NULL DEFAULT 0,
          PRIMARY KEY (conversation_id, seq, user_id)
        );
        CREATE INDEX voice_plays_version ON voice_plays (conversation_id, version);
      `);
    },
  },
  {
    version: 11,
    name: 'appends: a message may carry several files (a merged chat history), all marked sent with it',
    async up(tx) {
      // Version 7's function, with a list of file ids per message for its one file id.
      await tx.exec(`
        CREATE OR REPLACE FUNCTION im_append(batch json) RETURNS json LANGUAGE plpgsql AS $$
        DECLARE answer json; touched text[];
        BEGIN
          -- In id order, as every transaction that locks several does; read after the locks.
          PERFORM FROM conversations WHERE id IN (SELECT a.conversation_id
            FROM json_to_recordset(batch) AS a (conversation_id text)) ORDER BY id FOR UPDATE;
          WITH a AS (
            SELECT * FROM json_to_recordset(batch) AS a (i int, conversation_id text, sender_id text,
              client_id text, id text, type text, body json, created_at bigint, reply_to json,
              search_text text, file_ids text[], mentions text[], mention_all boolean)
          ), facts AS (
            SELECT a.*, row_to_json(m) AS stored, c.id IS NOT NULL AS known, c.dismissed_at IS NOT NULL AS dismissed,
              EXISTS (SELECT FROM conversation_members p WHERE p.conversation_id = a.conversation_id
                AND p.user_id = a.sender_id AND p.state = 'active') AS active
            FROM a LEFT JOIN messages m ON m.sender_id = a.sender_id AND m.client_id = a.client_id
            LEFT JOIN conversations c ON c.id = a.conversation_id
          ), sent AS (
            -- Marked sent as they are read: that locks them against the expiry of unsent ones.
            UPDATE files f SET sent_at = coalesce(f.sent_at, s.at)
            FROM (SELECT file_id, conversation_id, min(created_at) AS at FROM facts, unnest(file_ids) AS file_id
                  WHERE stored IS NULL GROUP BY 1, 2) AS s
            WHERE f.id = s.file_id AND f.conversation_id = s.conversation_id RETURNING f.id, f.conversation_id
          ), checked AS (
            SELECT facts.*, NOT EXISTS (SELECT FROM unnest(file_ids) AS file_id
              WHERE (file_id, conversation_id) NOT IN (SELECT * FROM sent)) AS files_found FROM facts
          ), accepted AS (
            SELECT *, row_number() OVER (PARTITION BY conversation_id ORDER BY i) AS n FROM checked
            WHERE stored IS NULL AND known AND NOT dismissed AND active
              AND files_found
          ), taken AS (
            UPDATE conversations c SET last_seq = c.last_seq + t.count,
              updated_at = greatest(c.updated_at, t.at), mention_all_seq = greatest(c.mention_all_seq, c.last_seq + t.all_n)
            FROM (SELECT conversation_id, count(*) AS count, max(created_at) AS at,
                    max(n) FILTER (WHERE mention_all) AS all_n FROM accepted GROUP BY 1) AS t
            WHERE c.id = t.conversation_id RETURNING c.id, c.last_seq - t.count AS base
          ), entries AS (
            SELECT a.*, t.base + a.n AS seq FROM accepted a JOIN taken t ON t.id = a.conversation_id
          ), inserted AS (
            -- In the batch's order: arrival, the order search lists, is taken row by row.
            INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at,
              reply_to, search_text)
            SELECT id, conversation_id, seq, sender_id, client_id, type, body::text, created_at,
              reply_to::text, search_text FROM entries ORDER BY i
          ), positions AS (
            -- One row per member: an UPDATE joined to two rows of one member would apply one.
            UPDATE conversation_members m SET read_seq = greatest(m.read_seq, p.read),
              delivered_seq = greatest(m.delivered_seq, p.read), mention_seq = greatest(m.mention_seq, p.mention)
            FROM (SELECT conversation_id, user_id, max(read) AS read, max(mention) AS mention FROM (
                    SELECT conversation_id, sender_id, seq, NULL FROM entries
                    UNION ALL SELECT conversation_id, user_id, NULL, seq FROM entries, unnest(mentions) AS user_id
                  ) AS q (conversation_id, user_id, read, mention) GROUP BY 1, 2) AS p
            WHERE m.conversation_id = p.conversation_id AND m.user_id = p.user_id AND m.state = 'active'
          )
          SELECT json_agg(json_build_object('i', f.i, 'stored', f.stored, 'found', f.known, 'dismissed', f.dismissed,
              'active', f.active, 'fileFound', f.files_found, 'seq', e.seq)),
            array_agg(DISTINCT e.conversation_id) FILTER (WHERE e.seq IS NOT NULL)
          INTO answer, touched FROM checked f LEFT JOIN entries e USING (i);
          -- The change version last, as PgTransaction stamps it.
          IF touched IS NOT NULL THEN
            WITH version AS (UPDATE change_version SET value = value + 1 RETURNING value)
            UPDATE conversations c SET version = version.value FROM version WHERE c.id = ANY (touched);
          END IF;
          RETURN answer;
        END $$;
      `);
    },
  },
];

/**
 * The trigram index makes substring search fast (pg_trgm, shipped with PostgreSQL's
 * contrib modules and trusted: a database owner may install it). Without it, search
 * still finds the same messages by reading them.
 */
async function createSearchIndex(tx: PgTransaction): Promise<void> {
  await tx.exec('SAVEPOINT trigram');
  try {
    await tx.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await tx.exec('RELEASE SAVEPOINT trigram');
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT trigram');
  }
  const installed = await tx.row<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e
     JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`,
  );
  if (!installed) return;
  const opclass = `"${installed.schema.replaceAll('"', '""')}".gin_trgm_ops`;
  await tx.exec(`CREATE INDEX messages_search ON messages USING gin (search_text ${opclass})`);
}

// Any constant works: it only has to be the same for every im-chat process.
const migrationLock = 0x696d6368;

/** Applies pending migrations, each in its own transaction, one process at a time. */
export async function applyMigrations(db: PgDatabase): Promise<void> {
  const locked = async (tx: PgTransaction) => {
    await tx.run('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
  };
  await applyPending<PgTransaction, PgMigration>(
    {
      create: () =>
        db.transaction(async (tx) => {
          await locked(tx);
          await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
          await tx.exec(`
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version integer PRIMARY KEY,
              name text NOT NULL,
              applied_at bigint NOT NULL
            )`);
        }),
      transaction: (_, work) =>
        db.transaction(async (tx) => {
          await locked(tx);
          await work(tx);
        }),
      row: (tx, text, values) => tx.row(text, values),
    },
    migrations,
  );
}
