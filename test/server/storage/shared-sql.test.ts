import { describe, expect, it } from 'vitest';
import { sharedSql } from '../../../src/server/storage/shared-sql.js';

describe('a statement shared by both backends', () => {
  it('numbers each name once for PostgreSQL and gives its values in that order', () => {
    const statement = sharedSql('UPDATE t SET a = @a, b = greatest(b, @b) WHERE id = @id AND a <> @a');
    expect(statement.sqlite).toBe('UPDATE t SET a = @a, b = greatest(b, @b) WHERE id = @id AND a <> @a');
    expect(statement.postgres).toBe('UPDATE t SET a = $1, b = greatest(b, $2) WHERE id = $3 AND a <> $1');
    expect(statement.values({ id: 'x', b: 2, a: null, unused: true })).toEqual([null, 2, 'x']);
  });

  it('refuses to run with a value missing, rather than binding undefined', () => {
    expect(() => sharedSql('SELECT @a, @b').values({ a: 1 })).toThrow(/@b/);
  });
});
