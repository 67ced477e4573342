/** Idempotency keys on either backend (`idempotency_keys`). */
import { settle } from '../../decision.js';
import { decideClaim, type StoredKey } from '../../idempotency/claims.js';
import { lock, sql, type SqlDatabase } from '../sql/sql.js';
import type { IdempotencyStorage } from './contract.js';

const insertKey = `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (scope, key) DO NOTHING`;

const storedKey = sql`SELECT fingerprint, status, response, created_at AS "createdAt" FROM idempotency_keys
  WHERE scope = $1 AND key = $2 ${lock()}`;

const claimKey = `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint,
    created_at = excluded.created_at, status = NULL, response = NULL`;

export function sqlIdempotency(db: SqlDatabase): IdempotencyStorage {
  return {
    read: {},
    write: {
      // A new key is claimed by inserting it: of two processes claiming one key at once,
      // the second waits for the first's row and is judged against it like any stored one.
      claim: (request) =>
        db.transaction(async (tx) => {
          const { scope, key, fingerprint, now } = request;
          if ((await tx.run(insertKey, [scope, key, fingerprint, now])) > 0) return { state: 'claimed' as const };
          const stored = await tx.row<StoredKey>(storedKey, [scope, key]);
          const { writes, result } = settle(decideClaim(stored ?? null, request));
          for (const { request: claim } of writes) await tx.run(claimKey, [scope, key, claim.fingerprint, claim.now]);
          return result;
        }),
      async finish({ scope, key, status, body }) {
        await db.run('UPDATE idempotency_keys SET status = $3, response = $4 WHERE scope = $1 AND key = $2', [
          scope,
          key,
          status,
          body,
        ]);
      },
      async release({ scope, key }) {
        await db.run('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL', [scope, key]);
      },
      async prune(before) {
        await db.run('DELETE FROM idempotency_keys WHERE created_at < $1', [before]);
      },
    },
  };
}
