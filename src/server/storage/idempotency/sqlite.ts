/** Idempotency keys on SQLite (table from migration 5). */
import type { Database } from 'better-sqlite3';
import { settle } from '../../decision.js';
import { decideClaim, type IdempotentRequest, type StoredKey } from '../../idempotency/claims.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { IdempotencyStorage } from './contract.js';

function prepare(db: Database) {
  return {
    read: db.prepare<[string, string], StoredKey>(
      'SELECT fingerprint, status, response, created_at AS createdAt FROM idempotency_keys WHERE scope = ? AND key = ?',
    ),
    claim: db.prepare<[IdempotentRequest], unknown>(`
      INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)
      VALUES (@scope, @key, @fingerprint, @now)
      ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint,
        created_at = excluded.created_at, status = NULL, response = NULL`),
    finish: db.prepare<[{ scope: string; key: string; status: number; body: string }], unknown>(
      'UPDATE idempotency_keys SET status = @status, response = @body WHERE scope = @scope AND key = @key',
    ),
    release: db.prepare<[{ scope: string; key: string }], unknown>(
      'DELETE FROM idempotency_keys WHERE scope = @scope AND key = @key AND status IS NULL',
    ),
    prune: db.prepare<[number], unknown>('DELETE FROM idempotency_keys WHERE created_at < ?'),
  };
}

export function sqliteIdempotency(connection: SqliteConnection): IdempotencyStorage {
  return {
    read: {},
    write: {
      async claim(request) {
        return connection.write(prepare, (sql) => {
          const { writes, result } = settle(decideClaim(sql.read.get(request.scope, request.key) ?? null, request));
          for (const write of writes) sql.claim.run(write.request);
          return result;
        });
      },
      async finish(input) {
        connection.run(prepare, (sql) => sql.finish.run(input));
      },
      async release(input) {
        connection.run(prepare, (sql) => sql.release.run({ scope: input.scope, key: input.key }));
      },
      async prune(before) {
        connection.run(prepare, (sql) => sql.prune.run(before));
      },
    },
  };
}
