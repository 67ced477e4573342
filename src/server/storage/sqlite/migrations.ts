import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { applyPending, newestApplied, type Migration, type MigrationLedger } from '../migration-runner.js';

interface SqliteMigration extends Migration<Database> {
  /**
   * The migration rebuilds a table that others reference (SQLite cannot alter a CHECK):
   * foreign keys are off while it runs and checked before it commits.
   */
  rebuildsTables?: boolean;
  up(db: Database): void;
}

/** Append only: a released migration never changes; a schema change is a new entry. */
const migrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'users, conversations, members, messages, meta',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          avatar TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE conversations (
          id TEXT PRIMARY KEY,
          type TEXT NOT NULL CHECK (type IN ('single')),
          created_by TEXT NOT NULL REFERENCES users (id),
          created_at INTEGER NOT NULL,
          last_seq INTEGER NOT NULL DEFAULT 0,
          updated_at INTEGER NOT NULL,
          version INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE conversation_members (
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          user_id TEXT NOT NULL REFERENCES users (id),
          read_seq INTEGER NOT NULL DEFAULT 0,
          version INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (conversation_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX conversation_members_by_user ON conversation_members (user_id);

        CREATE TABLE messages (
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          seq INTEGER NOT NULL,
          id TEXT NOT NULL UNIQUE,
          sender_id TEXT NOT NULL REFERENCES users (id),
          client_id TEXT NOT NULL,
          body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (conversation_id, seq),
          UNIQUE (sender_id, client_id)
        ) WITHOUT ROWID;
      `);
      // The epoch names this incarnation of the data: a restored or wiped database gets
      // a new one, and sync cursors from before then trigger a full resync.
      db.prepare(`INSERT INTO meta (key, value) VALUES ('epoch', ?), ('version', 0)`).run(
        randomBytes(12).toString('base64url'),
      );
    },
  },
  {
    version: 2,
    name: 'groups: group columns, member roles and states, message types, invites, join requests',
    rebuildsTables: true,
    up(db) {
      db.exec(`
        CREATE TABLE conversations_next (
          id TEXT PRIMARY KEY,
          type TEXT NOT NULL CHECK (type IN ('single', 'group')),
          created_by TEXT NOT NULL REFERENCES users (id),
          created_at INTEGER NOT NULL,
          last_seq INTEGER NOT NULL DEFAULT 0,
          updated_at INTEGER NOT NULL,
          version INTEGER NOT NULL,
          name TEXT,
          avatar TEXT,
          description TEXT NOT NULL DEFAULT '',
          announcement TEXT NOT NULL DEFAULT '',
          join_policy TEXT NOT NULL DEFAULT 'open'
            CHECK (join_policy IN ('open', 'approval', 'closed')),
          muted_all INTEGER NOT NULL DEFAULT 0,
          dismissed_at INTEGER,
          member_count INTEGER NOT NULL DEFAULT 0,
          mention_all_seq INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        INSERT INTO conversations_next
          (id, type, created_by, created_at, last_seq, updated_at, version, member_count)
        SELECT id, type, created_by, created_at, last_seq, updated_at, version,
          (SELECT count(*) FROM conversation_members m WHERE m.conversation_id = conversations.id)
        FROM conversations;
        DROP TABLE conversations;
        ALTER TABLE conversations_next RENAME TO conversations;

        ALTER TABLE conversation_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
          CHECK (role IN ('owner', 'admin', 'member'));
        ALTER TABLE conversation_members ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversation_members ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
          CHECK (state IN ('active', 'left', 'removed'));
        ALTER TABLE conversation_members ADD COLUMN joined_at INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversation_members ADD COLUMN left_seq INTEGER;
        ALTER TABLE conversation_members ADD COLUMN mention_seq INTEGER NOT NULL DEFAULT 0;
        UPDATE conversation_members SET joined_at = (SELECT c.created_at FROM conversations c
          WHERE c.id = conversation_members.conversation_id);

        ALTER TABLE messages ADD COLUMN type TEXT NOT NULL DEFAULT 'text';

        CREATE TABLE invites (
          code TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          created_by TEXT NOT NULL REFERENCES users (id),
          created_at INTEGER NOT NULL,
          expires_at INTEGER,
          max_uses INTEGER,
          uses INTEGER NOT NULL DEFAULT 0,
          revoked_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX invites_by_conversation ON invites (conversation_id, created_at);

        CREATE TABLE join_requests (
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          user_id TEXT NOT NULL REFERENCES users (id),
          invite_code TEXT NOT NULL REFERENCES invites (code),
          requested_at INTEGER NOT NULL,
          PRIMARY KEY (conversation_id, user_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 3,
    name: 'rich messaging: edits, replies, receipts, member settings, presence, files, push, search',
    up(db) {
      db.exec(`
        ALTER TABLE messages ADD COLUMN reply_to TEXT;
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;

        ALTER TABLE conversation_members ADD COLUMN delivered_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversation_members ADD COLUMN pinned_at INTEGER;
        ALTER TABLE conversation_members ADD COLUMN notifications_muted INTEGER NOT NULL DEFAULT 0;
        -- Hidden while the conversation's last_seq is at most this.
        ALTER TABLE conversation_members ADD COLUMN hidden_seq INTEGER;
        ALTER TABLE conversation_members ADD COLUMN marked_unread INTEGER NOT NULL DEFAULT 0;
        UPDATE conversation_members SET delivered_seq = read_seq;

        ALTER TABLE users ADD COLUMN last_seen_at INTEGER;

        CREATE TABLE files (
          id TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          uploader_id TEXT NOT NULL REFERENCES users (id),
          name TEXT NOT NULL,
          mime TEXT NOT NULL,
          size INTEGER NOT NULL,
          width INTEGER,
          height INTEGER,
          -- Where the blob store keeps the bytes; forwarded copies share it.
          storage_key TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX files_by_conversation ON files (conversation_id);
        CREATE INDEX files_by_storage_key ON files (storage_key);

        CREATE TABLE push_subscriptions (
          endpoint TEXT PRIMARY KEY,
          user_id TEXT NOT NULL REFERENCES users (id),
          p256dh TEXT NOT NULL,
          auth TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);

        -- Trigram: substrings of 3+ characters match anywhere, in any script (CJK too).
        CREATE VIRTUAL TABLE message_search USING fts5(
          text, conversation_id UNINDEXED, seq UNINDEXED,
          tokenize = 'trigram case_sensitive 0'
        );
        INSERT INTO message_search (text, conversation_id, seq)
          SELECT json_extract(body, '$.text'), conversation_id, seq
          FROM messages WHERE type = 'text';
      `);
    },
  },
  {
    version: 4,
    name: 'search: index rows in arrival order, found by message',
    up(db) {
      // The index is rebuilt so that its rowids follow arrival order (search pages read
      // them newest first) and each message finds its row again when edited or recalled.
      db.exec(`
        DROP TABLE message_search;
        CREATE VIRTUAL TABLE message_search USING fts5(
          text, conversation_id UNINDEXED, seq UNINDEXED,
          tokenize = 'trigram case_sensitive 0'
        );
        INSERT INTO message_search (rowid, text, conversation_id, seq)
          SELECT row_number() OVER (ORDER BY created_at, conversation_id, seq),
            json_extract(body, '$.text'), conversation_id, seq
          FROM messages WHERE type = 'text';

        -- The index's own columns are slow to read row by row: searches join this instead.
        CREATE TABLE message_search_rows (
          row INTEGER PRIMARY KEY,
          conversation_id TEXT NOT NULL,
          seq INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX message_search_rows_by_message
          ON message_search_rows (conversation_id, seq);
        INSERT INTO message_search_rows (row, conversation_id, seq)
          SELECT rowid, conversation_id, seq FROM message_search;
      `);
    },
  },
  {
    version: 5,
    name: 'support: support conversations, agents, visitors, cases, page views, activity',
    rebuildsTables: true,
    up(db) {
      db.exec(`
        CREATE TABLE conversations_next (
          id TEXT PRIMARY KEY,
          type TEXT NOT NULL CHECK (type IN ('single', 'group', 'support')),
          created_by TEXT NOT NULL REFERENCES users (id),
          created_at INTEGER NOT NULL,
          last_seq INTEGER NOT NULL DEFAULT 0,
          updated_at INTEGER NOT NULL,
          version INTEGER NOT NULL,
          name TEXT,
          avatar TEXT,
          description TEXT NOT NULL DEFAULT '',
          announcement TEXT NOT NULL DEFAULT '',
          join_policy TEXT NOT NULL DEFAULT 'open'
            CHECK (join_policy IN ('open', 'approval', 'closed')),
          muted_all INTEGER NOT NULL DEFAULT 0,
          dismissed_at INTEGER,
          member_count INTEGER NOT NULL DEFAULT 0,
          mention_all_seq INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        INSERT INTO conversations_next (id, type, created_by, created_at, last_seq, updated_at, version, name, avatar, description,
          announcement, join_policy, muted_all, dismissed_at, member_count, mention_all_seq)
          SELECT id, type, created_by, created_at, last_seq, updated_at, version, name, avatar, description,
            announcement, join_policy, muted_all, dismissed_at, member_count, mention_all_seq FROM conversations;
        DROP TABLE conversations;
        ALTER TABLE conversations_next RENAME TO conversations;

        -- No foreign key: the role may be given before the user first connects.
        CREATE TABLE support_agents (
          user_id TEXT PRIMARY KEY,
          granted_at INTEGER NOT NULL,
          last_assigned_at INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;

        CREATE TABLE support_visitors (
          id TEXT PRIMARY KEY REFERENCES users (id),
          number INTEGER NOT NULL UNIQUE,
          secret_hash TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          claimed_by TEXT REFERENCES users (id),
          claimed_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX support_visitors_by_claimer ON support_visitors (claimed_by);

        CREATE TABLE support_cases (
          conversation_id TEXT PRIMARY KEY REFERENCES conversations (id),
          customer_id TEXT NOT NULL REFERENCES users (id),
          status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
          assignee_id TEXT REFERENCES users (id),
          email TEXT,
          page_url TEXT,
          page_title TEXT,
          context TEXT,
          opened_at INTEGER NOT NULL,
          resolved_at INTEGER,
          away_notified INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX support_cases_by_customer ON support_cases (customer_id);
        CREATE INDEX support_cases_open ON support_cases (status, assignee_id);

        CREATE TABLE support_page_views (
          id INTEGER PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          url TEXT NOT NULL,
          title TEXT NOT NULL,
          context TEXT,
          at INTEGER NOT NULL
        );
        CREATE INDEX support_page_views_by_case ON support_page_views (conversation_id, id);

        CREATE TABLE support_activity (
          id INTEGER PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          kind TEXT NOT NULL CHECK (kind IN ('assigned', 'resolved', 'reopened')),
          by_id TEXT,
          agent_id TEXT,
          at INTEGER NOT NULL
        );
        CREATE INDEX support_activity_by_case ON support_activity (conversation_id, id);

        INSERT INTO meta (key, value) VALUES ('visitor_number', 0);
      `);
    },
  },
  {
    version: 6,
    name: 'integrations: user accounts, idempotency keys, webhooks and their delivery queue',
    up(db) {
      db.exec(`
        ALTER TABLE users ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;
        -- JSON array of host-defined role names.
        ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE users ADD COLUMN blocked_at INTEGER;
        ALTER TABLE users ADD COLUMN deleted_at INTEGER;

        CREATE TABLE idempotency_keys (
          scope TEXT NOT NULL,
          key TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          -- Null while the first request runs.
          status INTEGER,
          response TEXT,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (scope, key)
        ) WITHOUT ROWID;
        CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

        CREATE TABLE webhooks (
          id TEXT PRIMARY KEY,
          url TEXT NOT NULL,
          events TEXT NOT NULL,
          secret TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- The rowid is the queue order.
        CREATE TABLE webhook_deliveries (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
          event_id TEXT NOT NULL,
          event_type TEXT NOT NULL,
          order_key TEXT NOT NULL,
          payload TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error TEXT,
          failed INTEGER NOT NULL DEFAULT 0,
          UNIQUE (webhook_id, event_id)
        );
        CREATE INDEX webhook_deliveries_queue
          ON webhook_deliveries (failed, webhook_id, order_key, id);
      `);
    },
  },
  {
    version: 7,
    name: 'upload quota and orphan uploads: when a file was first sent, where a copy came from',
    up(db) {
      db.exec(`
        -- Set by the first message that carries the file; unsent files expire.
        ALTER TABLE files ADD COLUMN sent_at INTEGER;
        -- The record a forwarded copy was made from; null for an upload (what a quota counts).
        ALTER TABLE files ADD COLUMN forwarded_from TEXT;
        -- Files stored before this version may be in messages: none of them is taken for an orphan.
        UPDATE files SET sent_at = created_at;
        CREATE INDEX files_unsent ON files (created_at) WHERE sent_at IS NULL;
        CREATE INDEX files_by_uploader ON files (uploader_id);
      `);
    },
  },
  {
    version: 8,
    name: 'messages numbered in arrival order, the search index keyed by that number',
    up(db) {
      // A rowid table: its `arrival` is the key the search index shares (no side table
      // maps one to the other any more), and declared, so VACUUM keeps it. No query reads
      // a message by its id: that index goes. Existing messages are numbered by when they
      // were sent; the index is rebuilt from their texts.
      db.exec(`
        CREATE TABLE messages_next (
          arrival INTEGER PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          seq INTEGER NOT NULL,
          id TEXT NOT NULL,
          sender_id TEXT NOT NULL REFERENCES users (id),
          client_id TEXT NOT NULL,
          body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          type TEXT NOT NULL DEFAULT 'text',
          reply_to TEXT,
          edited_at INTEGER,
          UNIQUE (conversation_id, seq),
          UNIQUE (sender_id, client_id)
        );
        INSERT INTO messages_next
          (conversation_id, seq, id, sender_id, client_id, body, created_at, type, reply_to, edited_at)
        SELECT conversation_id, seq, id, sender_id, client_id, body, created_at, type, reply_to, edited_at
        FROM messages ORDER BY created_at, conversation_id, seq;
        DROP TABLE messages;
        ALTER TABLE messages_next RENAME TO messages;

        DROP TABLE message_search_rows;
        DROP TABLE message_search;
        -- Contentless: the texts stay in messages; a row is deleted by its arrival alone.
        CREATE VIRTUAL TABLE message_search USING fts5(
          text, content = '', contentless_delete = 1,
          tokenize = 'trigram case_sensitive 0'
        );
        INSERT INTO message_search (rowid, text)
          SELECT arrival, json_extract(body, '$.text') FROM messages WHERE type = 'text';
      `);
    },
  },
  {
    version: 9,
    name: 'announcements people confirm: the version of a group announcement, and each member\'s confirmation',
    up(db) {
      // The version is the seq of the event that set the announcement; a member confirmed
      // the current one when their seq equals it, so a new announcement resets everyone.
      db.exec(`
        ALTER TABLE conversations ADD COLUMN announcement_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversation_members ADD COLUMN announcement_confirmed_seq INTEGER NOT NULL DEFAULT 0;
      `);
    },
  },
  {
    version: 10,
    name: 'media files: how long audio and video play',
    up(db) {
      db.exec('ALTER TABLE files ADD COLUMN duration_ms INTEGER');
    },
  },
  {
    version: 11,
    name: 'reactions: who put which emoji on a message, as of its newest reaction event',
    up(db) {
      // Reactions JSON (seq and items); null until someone reacts, and again once recalled.
      db.exec('ALTER TABLE messages ADD COLUMN reactions TEXT');
    },
  },
  {
    version: 12,
    name: 'blocks between users, bans from groups',
    up(db) {
      db.exec(`
        CREATE TABLE user_blocks (
          blocker_id TEXT NOT NULL REFERENCES users (id),
          blocked_id TEXT NOT NULL REFERENCES users (id),
          created_at INTEGER NOT NULL,
          PRIMARY KEY (blocker_id, blocked_id)
        );
        CREATE INDEX user_blocks_blocked ON user_blocks (blocked_id);
        CREATE TABLE group_bans (
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          user_id TEXT NOT NULL REFERENCES users (id),
          banned_by TEXT NOT NULL REFERENCES users (id),
          banned_at INTEGER NOT NULL,
          PRIMARY KEY (conversation_id, user_id)
        );
      `);
    },
  },
  {
    version: 13,
    name: 'voice messages played: who started playing which, stamped with the change version for catch-up',
    up(db) {
      db.exec(`
        CREATE TABLE voice_plays (
          conversation_id TEXT NOT NULL REFERENCES conversations (id),
          seq INTEGER NOT NULL,
          user_id TEXT NOT NULL REFERENCES users (id),
          played_at INTEGER NOT NULL,
          version INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (conversation_id, seq, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX voice_plays_version ON voice_plays (conversation_id, version);
      `);
    },
  },
];

/**
 * For a connection that only reads: throws unless another one has migrated the database
 * to exactly the schema this server knows.
 */
export function requireCurrentSchema(db: Database): void {
  const found = db.prepare<[], { version: number | null }>(newestApplied).get()?.version ?? 0;
  const newest = migrations.at(-1)?.version ?? 0;
  if (found !== newest) throw new Error(`the database schema is version ${found}, this server needs ${newest}`);
}

/** `schema_migrations` on SQLite; a migration that rebuilds tables runs with foreign keys off. */
function ledger(db: Database): MigrationLedger<Database, SqliteMigration> {
  return {
    create() {
      db.exec(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at INTEGER NOT NULL
        )
      `);
    },
    transaction(migration, work) {
      // SQLite ignores this pragma inside a transaction: it is set around it.
      const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
      if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
      try {
        db.transaction(() => {
          work(db);
          const broken = migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]);
          if (broken && broken.length > 0) throw new Error(`migration ${migration.version} broke a foreign key`);
        }).immediate();
      } finally {
        db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
      }
    },
    row<R>(_: Database, text: string, values: readonly unknown[] = []) {
      const statement = db.prepare<unknown[], R>(text.replace(/\$\d+/g, '?'));
      return statement.reader ? statement.get(...values) : void statement.run(...values);
    },
  };
}

/**
 * Applies pending migrations, each in its own write transaction. Safe on every start.
 * `upTo` stops at a version: tests use it to build a database as an older server left it.
 */
export function applyMigrations(db: Database, upTo = Number.POSITIVE_INFINITY): void {
  void applyPending(ledger(db), migrations, upTo);
}
