/**
 * The connection pool and the transactions every PostgreSQL storage call runs in: typed
 * rows, statements prepared once per connection, the change version stamped last, and
 * the errors that mean "cannot reach the database now" turned into `unavailable`.
 */
import pg from 'pg';
import { CommandError } from '../../errors.js';
import { textOf, type Sql, type SqlDatabase, type SqlTransaction } from '../sql/sql.js';
import type { StatementCount } from '../statement-count.js';

export interface PgDatabaseOptions {
  /** `postgres://user:password@host:port/database`, as libpq reads it. */
  connectionString: string;
  /** The schema that holds im-chat's tables; created by `migrate` if missing. */
  schema: string;
  /** Connections in the pool; default 10. */
  poolSize?: number;
  /** Called for errors of idle connections (the server restarted, say). */
  onIdleError?: (error: Error) => void;
  /** Counts every statement sent (`statementCount`): for diagnostics and benchmarks. */
  countStatements?: boolean;
}

const int8Oid = 20;

// Counts, versions and times in milliseconds are int8: all of them stay far below 2^53.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8Oid && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Schema names are interpolated into SQL: plain identifiers only. */
export const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** How long a connection attempt or a statement may take before the call is `unavailable`. */
const connectTimeoutMs = 5_000;
const statementTimeoutMs = 15_000;

/** Deadlocks and serialization failures are retried this many times before giving up. */
const transactionAttempts = 3;

export class PgDatabase implements SqlDatabase {
  readonly dialect = 'postgres';
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #names = new Map<string, string>();
  readonly #countStatements: boolean;
  readonly #count: StatementCount = { statements: 0, transactions: 0 };
  #closed = false;

  constructor(options: PgDatabaseOptions) {
    if (!schemaPattern.test(options.schema)) {
      throw new Error(`the schema name "${options.schema}" must be a plain lower-case identifier`);
    }
    this.schema = options.schema;
    this.#countStatements = options.countStatements ?? false;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: statementTimeoutMs,
      options: `-c search_path=${options.schema}`,
      types,
    });
    // An idle connection that breaks must not crash the process; the pool replaces it.
    this.#pool.on('error', (error) => options.onIdleError?.(error));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Statements (BEGIN and COMMIT included) and transactions so far; 0 unless counted. */
  get statementCount(): StatementCount {
    return { ...this.#count };
  }

  async rows<R>(text: Sql, values: readonly unknown[] = []): Promise<R[]> {
    this.#checkOpen();
    try {
      return (await this.#pool.query<pg.QueryResultRow>(this.#statement(text, values))).rows as R[];
    } catch (error) {
      throw translateError(error);
    }
  }

  /**
   * One statement that is a transaction of its own (a function that writes): one round
   * trip, committed before it answers, retried as `transaction` is.
   */
  async alone<R>(text: Sql, values: readonly unknown[]): Promise<R[]> {
    for (let attempt = 1; ; attempt++) {
      this.#checkOpen();
      if (this.#countStatements) this.#count.transactions++;
      try {
        return (await this.#pool.query<pg.QueryResultRow>(this.#statement(text, values))).rows as R[];
      } catch (error) {
        if (!isRetryable(error) || attempt === transactionAttempts) throw translateError(error);
      }
    }
  }

  async row<R>(text: Sql, values: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(text, values))[0];
  }

  async run(text: Sql, values: readonly unknown[] = []): Promise<number> {
    this.#checkOpen();
    try {
      return (await this.#pool.query(this.#statement(text, values))).rowCount ?? 0;
    } catch (error) {
      throw translateError(error);
    }
  }

  async consume<R, T>(text: Sql, values: readonly unknown[], take: (rows: Iterable<R>) => T): Promise<T> {
    return take(await this.rows<R>(text, values));
  }

  /**
   * Runs `work` in one READ COMMITTED transaction and commits it; retried whole after a
   * deadlock or serialization failure, so `work` must have no effect outside the
   * database. The change version of the rows it touched is stamped last (see PgTransaction).
   */
  async transaction<T>(work: (tx: PgTransaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(work);
      } catch (error) {
        if (!isRetryable(error) || attempt === transactionAttempts) throw translateError(error);
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #attempt<T>(work: (tx: PgTransaction) => Promise<T>): Promise<T> {
    this.#checkOpen();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw translateError(error);
    }
    const tx = new PgTransaction(client, (text, values) => this.#statement(text, values));
    const control = (command: 'BEGIN' | 'COMMIT' | 'ROLLBACK') => {
      if (this.#countStatements) {
        this.#count.statements++;
        if (command === 'BEGIN') this.#count.transactions++;
      }
      return client.query(command);
    };
    // A connection in an unknown state is dropped, not handed to the next caller.
    let discard = false;
    // A connection lost while checked out reports it here and to the statement in flight,
    // which fails the transaction; unheard, the event would end the process.
    const onLost = () => (discard = true);
    client.on('error', onLost);
    try {
      await control('BEGIN');
      const result = await work(tx);
      await tx.stampVersion();
      await control('COMMIT');
      return result;
    } catch (error) {
      discard = isConnectionError(error);
      if (!discard) await control('ROLLBACK').catch(() => (discard = true));
      throw error;
    } finally {
      client.off('error', onLost);
      client.release(discard);
    }
  }

  /** Every statement text is a constant: each is prepared once per connection, by name. */
  #statement(sql: Sql, values: readonly unknown[]): pg.QueryConfig {
    if (this.#countStatements) this.#count.statements++;
    const text = textOf(sql, 'postgres');
    let name = this.#names.get(text);
    if (name === undefined) {
      name = `im_${this.#names.size}`;
      this.#names.set(text, name);
    }
    return { name, text, values: [...values] };
  }

  #checkOpen(): void {
    if (this.#closed) throw new CommandError('unavailable', 'storage is closed');
  }
}

/**
 * One transaction in progress. Writes that change what a sync lists call `touch*`; the
 * transaction then takes the next change version and stamps it on those rows as its
 * last statement, so that versions are handed out in commit order (the counter's row
 * lock is held only from there to the commit) and every lock on it comes after the
 * locks on rows, which keeps deadlocks away.
 */
export class PgTransaction implements SqlTransaction {
  readonly dialect = 'postgres';
  readonly #conversations = new Set<string>();
  readonly #members = new Map<string, { conversationId: string; userId: string }>();
  readonly #plays: { conversationId: string; seq: number; userId: string }[] = [];

  constructor(
    private readonly client: pg.PoolClient,
    private readonly statement: (text: Sql, values: readonly unknown[]) => pg.QueryConfig,
  ) {}

  async rows<R>(text: Sql, values: readonly unknown[] = []): Promise<R[]> {
    return (await this.client.query<pg.QueryResultRow>(this.statement(text, values))).rows as R[];
  }

  async row<R>(text: Sql, values: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(text, values))[0];
  }

  async run(text: Sql, values: readonly unknown[] = []): Promise<number> {
    return (await this.client.query(this.statement(text, values))).rowCount ?? 0;
  }

  /** Several statements without parameters, not prepared: schema changes. */
  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }

  /** The conversation changed for all its members: a new event, a group setting. */
  touchConversation(conversationId: string): void {
    this.#conversations.add(conversationId);
  }

  /** One member's own state of a conversation changed. */
  touchMember(conversationId: string, userId: string): void {
    this.#members.set(JSON.stringify([conversationId, userId]), { conversationId, userId });
  }

  /** A voice message's play by one member was recorded. */
  touchPlay(conversationId: string, seq: number, userId: string): void {
    this.#plays.push({ conversationId, seq, userId });
  }

  async stampVersion(): Promise<void> {
    if (this.#conversations.size === 0 && this.#members.size === 0 && this.#plays.length === 0) return;
    const members = [...this.#members.values()];
    const plays = this.#plays;
    await this.run(stampVersion, [
      [...this.#conversations],
      members.map((member) => member.conversationId),
      members.map((member) => member.userId),
      plays.map((play) => play.conversationId),
      plays.map((play) => play.seq),
      plays.map((play) => play.userId),
    ]);
  }
}

const stampVersion = `
  WITH version AS (
    UPDATE change_version SET value = value + 1 RETURNING value
  ), conversations_stamped AS (
    UPDATE conversations c SET version = version.value FROM version
    WHERE c.id = ANY($1::text[])
  ), plays_stamped AS (
    UPDATE voice_plays p SET version = version.value
    FROM version, unnest($4::text[], $5::int[], $6::text[]) AS touched (conversation_id, seq, user_id)
    WHERE p.conversation_id = touched.conversation_id AND p.seq = touched.seq AND p.user_id = touched.user_id
  )
  UPDATE conversation_members m SET version = version.value
  FROM version, unnest($2::text[], $3::text[]) AS touched (conversation_id, user_id)
  WHERE m.conversation_id = touched.conversation_id AND m.user_id = touched.user_id`;

/** SQLSTATE classes and codes that mean the server cannot serve us now, not bad input. */
const unavailableStates = /^(08|53|57P0[123]|58)/;
const retryableStates = new Set(['40001', '40P01']);
const connectionErrors = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isRetryable(error: unknown): boolean {
  return retryableStates.has(sqlState(error) ?? '');
}

/** The connection itself failed (or timed out): nothing more can be sent on it. */
function isConnectionError(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined && (connectionErrors.has(code) || unavailableStates.test(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|timeout exceeded|Query read timeout|not queryable/i.test(
    message,
  );
}

export function translateError(error: unknown): unknown {
  if (error instanceof CommandError) return error;
  if (isConnectionError(error) || isRetryable(error)) {
    // The cause stays for the logs; clients see only the code.
    return Object.assign(new CommandError('unavailable', 'storage is unavailable'), { cause: error });
  }
  return error;
}
