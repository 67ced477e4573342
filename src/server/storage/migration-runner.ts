/**
 * How a schema is brought up to date, whichever database holds it: each migration in its
 * own write transaction, checked again inside it (another process may have just applied
 * it), recorded in `schema_migrations`; a schema newer than this server knows is refused.
 * Each backend says only how it creates that ledger, runs a statement and a transaction;
 * the DDL of the migrations themselves is its own. Synchronous for SQLite, asynchronous for PostgreSQL.
 */

type MaybePromise<T> = T | Promise<T>;

export interface Migration<Tx> {
  version: number;
  name: string;
  up(tx: Tx): MaybePromise<void>;
}

export interface MigrationLedger<Tx, M extends Migration<Tx>> {
  /** Creates `schema_migrations` if it does not exist yet. */
  create(): MaybePromise<void>;
  /** Runs `work` in one write transaction, one process at a time. */
  transaction(migration: M, work: (tx: Tx) => MaybePromise<void>): MaybePromise<void>;
  /** The first row of `text` (none for a write), `values` bound to `$1…$n` in order. */
  row<R>(tx: Tx, text: string, values?: readonly unknown[]): MaybePromise<R | undefined>;
}

export const newestApplied = 'SELECT max(version) AS version FROM schema_migrations';
const isApplied = 'SELECT 1 AS applied FROM schema_migrations WHERE version = $1';
const record = 'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)';

/** The next step once `value` is there: at once for a plain value, later for a promise. */
function then<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * Applies the pending ones of `migrations` (append only, by version). `upTo` stops at a
 * version: tests use it to build a database as an older server left it.
 */
export function applyPending<Tx, M extends Migration<Tx>>(
  ledger: MigrationLedger<Tx, M>,
  migrations: readonly M[],
  upTo = Number.POSITIVE_INFINITY,
): MaybePromise<void> {
  const known = migrations.at(-1)?.version ?? 0;
  const pending = migrations.filter((migration) => migration.version <= upTo);
  const apply = (tx: Tx, migration: M) =>
    then(ledger.row<{ version: number | null }>(tx, newestApplied), (newest) => {
      const found = newest?.version ?? 0;
      if (found > known) throw newerSchema(found, known);
      return then(ledger.row(tx, isApplied, [migration.version]), (applied) =>
        applied
          ? undefined
          : then(migration.up(tx), () => ledger.row<never>(tx, record, [migration.version, migration.name, Date.now()])),
      );
    });
  const from = (index: number): MaybePromise<void> => {
    const migration = pending[index];
    if (!migration) return undefined;
    return then(ledger.transaction(migration, (tx) => apply(tx, migration)), () => from(index + 1));
  };
  return then(ledger.create(), () => from(0));
}

function newerSchema(found: number, known: number): Error {
  return new Error(`the database schema is version ${found}, newer than this server knows (${known}): upgrade the server`);
}
