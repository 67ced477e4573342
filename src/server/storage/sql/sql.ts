/**
 * The one query interface both backends implement, so that an area's load and apply code
 * is written once. Statements are written with PostgreSQL's numbered parameters (`$1`);
 * where SQLite and PostgreSQL disagree, a statement (or a piece of one) names both texts.
 *
 * @example
 * const members = sql`SELECT user_id FROM conversation_members WHERE user_id ${inList(1)}`;
 * await db.rows<{ user_id: string }>(members, [userIds]);
 */

export type Dialect = 'sqlite' | 'postgres';

/** A statement's text per dialect, where they differ. */
export interface DialectSql {
  readonly sqlite: string;
  readonly postgres: string;
}

/** A statement, or a piece of one: the same text for both dialects, or one each. */
export type Sql = string | DialectSql;

/**
 * What a statement can run on: the database (one statement on its own) or a transaction.
 * Values bind to `$1…$n` in order; arrays are lists (`inList`) and booleans are 0 or 1.
 */
export interface SqlQueryable {
  readonly dialect: Dialect;
  rows<R>(sql: Sql, values?: readonly unknown[]): Promise<R[]>;
  row<R>(sql: Sql, values?: readonly unknown[]): Promise<R | undefined>;
  /** The number of rows the statement changed. */
  run(sql: Sql, values?: readonly unknown[]): Promise<number>;
}

/**
 * One transaction in progress. A write that changes what a sync lists says so with
 * `touch*`; the transaction stamps the next change version on those rows as its last
 * statement, so versions are taken in commit order.
 */
export interface SqlTransaction extends SqlQueryable {
  /** The conversation changed for all its members: a new event, a group setting. */
  touchConversation(conversationId: string): void;
  /** One member's own state of a conversation changed. */
  touchMember(conversationId: string, userId: string): void;
  /** A voice message's play by one member was recorded (the sync lists it for them and its sender). */
  touchPlay(conversationId: string, seq: number, userId: string): void;
}

export interface SqlDatabase extends SqlQueryable {
  /**
   * Runs `work` in one write transaction and commits it; all of it or nothing. `work`
   * must touch nothing but `tx` and may be run again (PostgreSQL retries deadlocks).
   */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * Runs a read and hands its rows to `take`, which may stop early: SQLite then reads no
   * further, while PostgreSQL sends every row (so its statement must bound its own work).
   */
  consume<R, T>(sql: Sql, values: readonly unknown[], take: (rows: Iterable<R>) => T): Promise<T>;
}

export function textOf(sql: Sql, dialect: Dialect): string {
  return typeof sql === 'string' ? sql : sql[dialect];
}

/** A statement put together from text and dialect pieces; a plain string where both agree. */
export function sql(strings: TemplateStringsArray, ...pieces: Sql[]): Sql {
  const build = (dialect: Dialect) =>
    strings.reduce((text, string, index) => text + textOf(pieces[index - 1]!, dialect) + string);
  const sqlite = build('sqlite');
  const postgres = build('postgres');
  return sqlite === postgres ? sqlite : { sqlite, postgres };
}

/** `IN` the list bound to `$n` (an array of `type`). */
export function inList(n: number, type: 'text' | 'bigint' = 'text'): DialectSql {
  return { sqlite: `IN (SELECT value FROM json_each($${n}))`, postgres: `= ANY($${n}::${type}[])` };
}

/** The list bound to `$n` as rows of one text column: `FROM ${listRows(2, 'candidate', 'id')}`. */
export function listRows(n: number, alias: string, column: string): DialectSql {
  return {
    sqlite: `(SELECT value AS ${column} FROM json_each($${n})) AS ${alias}`,
    postgres: `unnest($${n}::text[]) AS ${alias} (${column})`,
  };
}

/** The aggregate of `value` over the rows as JSON array text, `[]` for none (`user_id ORDER BY user_id`). */
export function jsonArrayOf(value: string): DialectSql {
  return { sqlite: `json_group_array(${value})`, postgres: `CAST(coalesce(json_agg(${value}), '[]') AS text)` };
}

/** The greater of two values. */
export const greatest: DialectSql = { sqlite: 'max', postgres: 'greatest' };

/** Text only PostgreSQL reads (a column it keeps and SQLite computes, say); nothing on SQLite. */
export function onPostgres(text: string): DialectSql {
  return { sqlite: '', postgres: text };
}

/**
 * A row lock (`FOR UPDATE`, `FOR UPDATE OF m`) on PostgreSQL; nothing on SQLite, whose
 * write transactions take the whole database.
 */
export function lock(clause = 'FOR UPDATE'): DialectSql {
  return onPostgres(clause);
}

const violations = {
  unique: ['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'],
  'foreign-key': ['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY'],
};

/** A unique or foreign-key violation (PostgreSQL's SQLSTATE, SQLite's extended code), for callers that expect one. */
export function isViolation(error: unknown, kind: keyof typeof violations): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && violations[kind].includes(code);
}
