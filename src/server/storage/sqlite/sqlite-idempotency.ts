/** Idempotency keys on SQLite (table from migration 5). */
import type Database from 'better-sqlite3';
import type { IdempotencyClaim, IdempotentRequest } from '../idempotency-storage.js';

interface KeyRow {
  fingerprint: string;
  status: number | null;
  response: string | null;
  created_at: number;
}

export class SqliteIdempotency {
  readonly #claim: Database.Transaction<(request: IdempotentRequest) => IdempotencyClaim>;
  readonly #finish: Database.Statement<[{ scope: string; key: string; status: number; body: string }]>;
  readonly #release: Database.Statement<[{ scope: string; key: string }]>;
  readonly #prune: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    const read = db.prepare<[string, string], KeyRow>(
      'SELECT fingerprint, status, response, created_at FROM idempotency_keys WHERE scope = ? AND key = ?',
    );
    const claim = db.prepare<[IdempotentRequest]>(`
      INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)
      VALUES (@scope, @key, @fingerprint, @now)
      ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint,
        created_at = excluded.created_at, status = NULL, response = NULL`);
    this.#claim = db.transaction((request: IdempotentRequest): IdempotencyClaim => {
      const row = read.get(request.scope, request.key);
      if (row && row.fingerprint !== request.fingerprint) return { state: 'mismatch' };
      if (row?.status != null) return { state: 'answered', status: row.status, body: row.response ?? '' };
      if (row && row.created_at >= request.staleBefore) return { state: 'in_progress' };
      claim.run(request);
      return { state: 'claimed' };
    });
    this.#finish = db.prepare(`
      UPDATE idempotency_keys SET status = @status, response = @body
      WHERE scope = @scope AND key = @key`);
    this.#release = db.prepare(
      'DELETE FROM idempotency_keys WHERE scope = @scope AND key = @key AND status IS NULL',
    );
    this.#prune = db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
  }

  claim(request: IdempotentRequest): IdempotencyClaim {
    return this.#claim.immediate(request);
  }

  finish(input: { scope: string; key: string; status: number; body: string }): void {
    this.#finish.run(input);
  }

  release(input: { scope: string; key: string }): void {
    this.#release.run(input);
  }

  prune(before: number): void {
    this.#prune.run(before);
  }
}
