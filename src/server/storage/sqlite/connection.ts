/**
 * The one SQLite connection a SqliteStorage and its areas share: statements prepared once
 * it is migrated, write transactions, and SQLite's "cannot reach the file now" errors
 * turned into `unavailable`.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CommandError } from '../../errors.js';

interface Gate {
  busy: Promise<void> | null;
}

/**
 * One gate per database file in this thread: a second connection to the file here (a
 * second storage on the same data) waiting for the write lock would block the thread,
 * and with it the transaction holding the lock. It waits at the gate instead.
 */
const gates = new Map<string, Gate>();

function gateOf(db: Database.Database): Gate {
  if (db.memory) return { busy: null };
  const file = resolve(db.name);
  let gate = gates.get(file);
  if (gate === undefined) {
    gate = { busy: null };
    gates.set(file, gate);
  }
  return gate;
}

export class SqliteConnection {
  readonly #prepared = new Map<(db: Database.Database) => unknown, unknown>();
  readonly #texts = new Map<string, Database.Statement>();
  #migrated = false;
  readonly #gate: Gate;

  constructor(readonly db: Database.Database) {
    this.#gate = gateOf(db);
  }

  /**
   * Settles when the asynchronous transaction in progress on this file (sql/sqlite.ts)
   * ends; null when none is. While one is, nothing else may run a statement here: it
   * would join it, or wait for its lock.
   */
  get busy(): Promise<void> | null {
    return this.#gate.busy;
  }

  set busy(busy: Promise<void> | null) {
    this.#gate.busy = busy;
  }

  /** Called once the schema is current: statements can be prepared from now on. */
  migrated(): void {
    this.#migrated = true;
    this.#prepared.clear();
    this.#texts.clear();
  }

  /** The statement of `text`, prepared on first use (for sql/sqlite.ts, which keeps the gate). */
  prepared(text: string): Database.Statement {
    this.checkUsable();
    let statement = this.#texts.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.#texts.set(text, statement);
    }
    return statement;
  }

  /** `prepare`'s statements, prepared on first use (an area's own, kept by the connection). */
  statements<T>(prepare: (db: Database.Database) => T): T {
    this.checkUsable();
    if (this.busy) throw new Error('a SQLite statement ran inside another caller’s asynchronous transaction');
    let statements = this.#prepared.get(prepare) as T | undefined;
    if (statements === undefined) {
      statements = prepare(this.db);
      this.#prepared.set(prepare, statements);
    }
    return statements;
  }

  /** Throws unless statements can run: the storage is open and migrated. */
  checkUsable(): void {
    if (!this.db.open) throw storageClosed();
    if (!this.#migrated) throw new Error('SqliteStorage.migrate() must run before use');
  }

  /**
   * The next change version (what `changedConversations` pages by): call inside the write
   * transaction whose rows it stamps.
   */
  nextVersion(): number {
    return this.statements(prepareVersion).get()!;
  }

  /** Runs `operation` on `prepare`'s statements, outside a transaction (a read or one statement). */
  run<S, T>(prepare: (db: Database.Database) => S, operation: (statements: S) => T): T {
    try {
      return operation(this.statements(prepare));
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Runs `change` in one immediate write transaction: all of it commits, or none. */
  write<S, T>(prepare: (db: Database.Database) => S, change: (statements: S) => T): T {
    return this.run(prepare, (statements) => this.db.transaction(() => change(statements)).immediate());
  }
}

function prepareVersion(db: Database.Database) {
  return db.prepare<[], number>(`UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`).pluck();
}

export function storageClosed(): CommandError {
  return new CommandError('unavailable', 'storage is closed');
}

// SQLite result codes that mean "cannot reach or write the database now", not "bad input".
const unavailableCodes = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL|NOMEM)/;

export function translateError(error: unknown): unknown {
  if (error instanceof Database.SqliteError && unavailableCodes.test(error.code)) {
    return new CommandError('unavailable', 'storage is unavailable');
  }
  return error;
}
