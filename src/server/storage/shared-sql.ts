/**
 * A statement written once for both backends, where their SQL agrees: its parameters are
 * named (`@conversationId`); SQLite binds the names itself, PostgreSQL gets them numbered
 * (`$1`, the same number for a name used twice) with the values in that order.
 *
 * @example
 * const saveName = sharedSql('UPDATE conversations SET name = @name WHERE id = @id');
 * db.prepare(saveName.sqlite).run({ id, name }); // SQLite
 * await tx.run(saveName.postgres, saveName.values({ id, name })); // PostgreSQL
 */
export interface SharedSql {
  /** The text as written, for better-sqlite3 (`@name` parameters). */
  readonly sqlite: string;
  /** The text with `$n` parameters, for PostgreSQL. */
  readonly postgres: string;
  /** The values of `params` in the order of the PostgreSQL text's `$n`. */
  values(params: Readonly<Record<string, unknown>>): unknown[];
}

const parameter = /@([A-Za-z_][A-Za-z0-9_]*)/g;

export function sharedSql(text: string): SharedSql {
  const names: string[] = [];
  const postgres = text.replace(parameter, (_, name: string) => {
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return {
    sqlite: text,
    postgres,
    values(params) {
      return names.map((name) => {
        if (!(name in params)) throw new Error(`no value for the parameter @${name}`);
        return params[name];
      });
    },
  };
}
