/**
 * The one SQLite connection a SqliteStorage and its areas share: statements prepared once
 * it is migrated, write transactions, the gate that keeps them out of an asynchronous
 * transaction in progress (sql/sqlite.ts), and SQLite's "cannot reach the file now"
 * errors turned into `unavailable`.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CommandError } from '../../errors.js';

/** Who holds the file for an asynchronous transaction, and who waits for it, in order. */
interface Gate {
  held: boolean;
  waiting: (() => void)[];
  /** Set by the holder while its transaction is open. */
  transaction: boolean;
}

/**
 * One gate per database file in this thread: a second connection to the file here (a
 * second storage on the same data) waiting for the write lock would block the thread,
 * and with it the transaction holding the lock. It waits at the gate instead.
 */
const gates = new Map<string, Gate>();

function gateOf(db: Database.Database): Gate {
  if (db.memory) return { held: false, waiting: [], transaction: false };
  const file = resolve(db.name);
  let gate = gates.get(file);
  if (gate === undefined) {
    gate = { held: false, waiting: [], transaction: false };
    gates.set(file, gate);
  }
  return gate;
}

export class SqliteConnection {
  readonly #texts = new Map<string, Database.Statement>();
  #migrated = false;
  readonly #gate: Gate;

  constructor(readonly db: Database.Database) {
    this.#gate = gateOf(db);
  }

  /**
   * An asynchronous transaction (sql/sqlite.ts) is in progress on this file. Until it
   * ends nothing else may run a statement here: it would join it, or wait for its lock.
   */
  get inTransaction(): boolean {
    return this.#gate.transaction;
  }

  set inTransaction(open: boolean) {
    this.#gate.transaction = open;
  }

  /** Takes the file for a transaction: at once (undefined), or when its turn comes. */
  enter(): Promise<void> | undefined {
    if (!this.#gate.held) {
      this.#gate.held = true;
      return undefined;
    }
    return new Promise((resolve) => this.#gate.waiting.push(resolve));
  }

  /** Hands the file to the next in line, or frees it. */
  leave(): void {
    const next = this.#gate.waiting.shift();
    if (next) next();
    else this.#gate.held = false;
  }

  /** Runs `call` now, or once the transaction in progress (and those before it in line) ended. */
  whenFree<T>(call: () => T): T | Promise<T> {
    if (!this.#gate.held) return call();
    return this.enter()!.then(() => {
      try {
        return call();
      } finally {
        this.leave();
      }
    });
  }

  /** Called once the schema is current: statements can be prepared from now on. */
  migrated(): void {
    this.#migrated = true;
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

  /** Throws unless statements can run: the storage is open and migrated. */
  checkUsable(): void {
    if (!this.db.open) throw storageClosed();
    if (!this.#migrated) throw new Error('SqliteStorage.migrate() must run before use');
  }
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
