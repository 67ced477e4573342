/**
 * The query interface (sql.ts) on the SQLite connection. Statements run synchronously, so
 * each one resolves at once and a transaction's awaits wait for microtasks only: its work
 * ends in the event-loop turn it began in. That is checked (a transaction still open when
 * the next macrotask runs fails), and while one is open the connection is held: other
 * callers of this database, and the appends that use the connection directly (through
 * `whenFree`), wait for it to end instead of running their statements inside it.
 */
import type Database from 'better-sqlite3';
import { translateError, type SqliteConnection } from '../sqlite/connection.js';
import { textOf, type Sql, type SqlDatabase, type SqlTransaction } from './sql.js';

interface Positional {
  text: string;
  /** For each `?` in `text`, the index of its value. */
  order: number[];
}

// Statement texts are constants: each is rewritten once. (So no text may hold `$` and a
// digit other than as a parameter, in a string literal say.)
const positional = new Map<string, Positional>();

function toPositional(text: string): Positional {
  let found = positional.get(text);
  if (found === undefined) {
    const order: number[] = [];
    found = {
      text: text.replace(/\$(\d+)/g, (_, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      }),
      order,
    };
    positional.set(text, found);
  }
  return found;
}

/** Lists travel as JSON (read with `json_each`), flags as 0 and 1. */
function bindable(value: unknown): unknown {
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
}

function prepare(connection: SqliteConnection, sql: Sql, values: readonly unknown[]) {
  const { text, order } = toPositional(textOf(sql, 'sqlite'));
  const statement: Database.Statement = connection.prepared(text);
  return { statement, bound: order.map((index) => bindable(values[index])) };
}

function all<R>(connection: SqliteConnection, sql: Sql, values: readonly unknown[]): R[] {
  try {
    const { statement, bound } = prepare(connection, sql, values);
    return statement.all(...bound) as R[];
  } catch (error) {
    throw translateError(error);
  }
}

function run(connection: SqliteConnection, sql: Sql, values: readonly unknown[] = []): Database.RunResult {
  try {
    const { statement, bound } = prepare(connection, sql, values);
    return statement.run(...bound);
  } catch (error) {
    throw translateError(error);
  }
}

export class SqliteSqlDatabase implements SqlDatabase {
  readonly dialect = 'sqlite';

  constructor(private readonly connection: SqliteConnection) {}

  async rows<R>(sql: Sql, values: readonly unknown[] = []): Promise<R[]> {
    return this.connection.whenFree(() => all<R>(this.connection, sql, values));
  }

  async row<R>(sql: Sql, values: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, values))[0];
  }

  async run(sql: Sql, values: readonly unknown[] = []): Promise<number> {
    return this.connection.whenFree(() => run(this.connection, sql, values).changes);
  }

  async consume<R, T>(sql: Sql, values: readonly unknown[], take: (rows: Iterable<R>) => T): Promise<T> {
    return this.connection.whenFree(() => {
      try {
        const { statement, bound } = prepare(this.connection, sql, values);
        return take(statement.iterate(...bound) as Iterable<R>);
      } catch (error) {
        throw translateError(error);
      }
    });
  }

  /** One immediate write transaction at a time; see the module's note on what `work` may await. */
  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const connection = this.connection;
    const turn = connection.enter();
    if (turn) await turn;
    const tx = new SqliteSqlTransaction(connection);
    connection.inTransaction = true;
    try {
      run(connection, 'BEGIN IMMEDIATE');
      const result = await withinThisTurn(work(tx));
      tx.stampVersion();
      run(connection, 'COMMIT');
      return result;
    } catch (error) {
      if (connection.db.open && connection.db.inTransaction) {
        try {
          run(connection, 'ROLLBACK');
        } catch {
          // SQLite has rolled back already (a full disk, say); the first error is the one to report.
        }
      }
      throw translateError(error);
    } finally {
      tx.open = false;
      connection.inTransaction = false;
      connection.leave();
    }
  }
}

/** Statements that run at once, in a synchronous transaction. */
export interface SqliteNow {
  rows<R>(sql: Sql, values?: readonly unknown[]): R[];
  run(sql: Sql, values?: readonly unknown[]): Database.RunResult;
}

/**
 * Runs `work` at once as one immediate transaction of synchronous statements: the appends'
 * (messages/sqlite.ts), which batch without awaiting. Never inside an asynchronous one.
 */
export function transactionNow<T>(connection: SqliteConnection, work: (now: SqliteNow) => T): T {
  connection.checkUsable();
  if (connection.inTransaction) throw new Error('a SQLite statement ran inside another caller’s asynchronous transaction');
  const now: SqliteNow = {
    rows: <R>(sql: Sql, values: readonly unknown[] = []) => all<R>(connection, sql, values),
    run: (sql, values = []) => run(connection, sql, values),
  };
  try {
    return connection.db.transaction(() => work(now)).immediate();
  } catch (error) {
    throw translateError(error);
  }
}

/** `pending`, failed if it has not settled when the next macrotask runs. */
function withinThisTurn<T>(pending: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const sentinel = setImmediate(() =>
      reject(new Error('a SQLite transaction waited for something other than its own statements')),
    );
    void pending.then(resolve, reject).finally(() => clearImmediate(sentinel));
  });
}

/** The next change version (what `changedConversations` pages by). */
export const takeVersion = `UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`;

/** The members touched, given as one JSON list of [conversationId, userId] pairs. */
const stampMembers = `
  UPDATE conversation_members SET version = $1
  WHERE (conversation_id, user_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each($2))`;

/** The plays touched, given as one JSON list of [conversationId, seq, userId] triples. */
const stampPlays = `
  UPDATE voice_plays SET version = $1
  WHERE (conversation_id, seq, user_id) IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each($2))`;

class SqliteSqlTransaction implements SqlTransaction {
  readonly dialect = 'sqlite';
  open = true;
  readonly #conversations = new Set<string>();
  readonly #members = new Map<string, [conversationId: string, userId: string]>();
  readonly #plays: [conversationId: string, seq: number, userId: string][] = [];

  constructor(private readonly connection: SqliteConnection) {}

  async rows<R>(sql: Sql, values: readonly unknown[] = []): Promise<R[]> {
    this.#checkOpen();
    return all<R>(this.connection, sql, values);
  }

  async row<R>(sql: Sql, values: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, values))[0];
  }

  async run(sql: Sql, values: readonly unknown[] = []): Promise<number> {
    this.#checkOpen();
    return run(this.connection, sql, values).changes;
  }

  touchConversation(conversationId: string): void {
    this.#conversations.add(conversationId);
  }

  touchMember(conversationId: string, userId: string): void {
    this.#members.set(JSON.stringify([conversationId, userId]), [conversationId, userId]);
  }

  touchPlay(conversationId: string, seq: number, userId: string): void {
    this.#plays.push([conversationId, seq, userId]);
  }

  /** The next change version, on every row touched; the transaction's last statements. */
  stampVersion(): void {
    if (this.#conversations.size === 0 && this.#members.size === 0 && this.#plays.length === 0) return;
    const [{ value }] = all<{ value: number }>(this.connection, takeVersion, []) as [{ value: number }];
    if (this.#conversations.size > 0) {
      run(this.connection, 'UPDATE conversations SET version = $1 WHERE id IN (SELECT value FROM json_each($2))', [
        value,
        [...this.#conversations],
      ]);
    }
    if (this.#members.size > 0) run(this.connection, stampMembers, [value, [...this.#members.values()]]);
    if (this.#plays.length > 0) run(this.connection, stampPlays, [value, this.#plays]);
  }

  #checkOpen(): void {
    if (!this.open) throw new Error('the SQLite transaction has ended');
  }
}
