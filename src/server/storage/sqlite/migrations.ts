import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Append only: a released migration never changes; a schema change is a new entry. */
const migrations: readonly Migration[] = [
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
];

/** Applies pending migrations, each in its own write transaction. Safe on every start. */
export function applyMigrations(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )
  `);
  const newest = migrations.at(-1)?.version ?? 0;
  const applied = db.prepare<[], { version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  const found = applied.get()?.version ?? 0;
  if (found > newest) {
    throw new Error(
      `the database schema is version ${found}, newer than this server knows (${newest}): ` +
        'upgrade the server',
    );
  }
  const isApplied = db.prepare<[number], unknown>(
    'SELECT 1 FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare<[number, string, number], unknown>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of migrations) {
    // Checked again inside the write lock: another process may have just applied it.
    db.transaction(() => {
      if (isApplied.get(migration.version)) return;
      migration.up(db);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}
