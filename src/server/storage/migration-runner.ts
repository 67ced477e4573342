/**
 * How a schema is brought up to date, whichever database holds it: each migration in its
 * own write transaction, checked again inside it (another process may have just applied
 * it), recorded in `schema_migrations`; a schema newer than this server knows is refused.
 * Each backend says only how it keeps that ledger and runs a transaction; the DDL of the
 * migrations themselves is its own. Synchronous for SQLite, asynchronous for PostgreSQL.
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
  /** The newest version applied, 0 for none. */
  newest(tx: Tx): MaybePromise<number>;
  isApplied(tx: Tx, version: number): MaybePromise<boolean>;
  /** Records `migration` as applied; called right after it ran. */
  record(tx: Tx, migration: M): MaybePromise<void>;
}

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
    then(ledger.newest(tx), (found) => {
      if (found > known) throw newerSchema(found, known);
      return then(ledger.isApplied(tx, migration.version), (applied) =>
        applied ? undefined : then(migration.up(tx), () => ledger.record(tx, migration)),
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
