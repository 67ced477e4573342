import type { Database } from 'better-sqlite3';
import { groupColumns, memberColumns, type GroupRow, type MemberRow } from '../rows.js';

/**
 * The rows of a group and its memberships that other areas read or change along with
 * their own (a message to a dismissed group, an agent's membership of a support case).
 * The groups area has its own statements (groups/sqlite.ts).
 */
export function prepareGroupStatements(db: Database) {
  return {
    group: db.prepare<[string], GroupRow>(`SELECT ${groupColumns} FROM conversations WHERE id = ?`),
    member: db.prepare<[string, string], MemberRow>(
      `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = ? AND user_id = ?`,
    ),
    saveMember: db.prepare<
      [MemberRow & { conversation_id: string; version: number }],
      unknown
    >(`
      UPDATE conversation_members SET role = @role, muted = @muted, state = @state,
        left_seq = @left_seq, version = @version
      WHERE conversation_id = @conversation_id AND user_id = @user_id`),
  };
}
