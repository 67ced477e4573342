/**
 * The cursor of a members page names the last member shown: their rank then and their
 * id. Their name is looked up again by the storage, so that the cursor stays short
 * whatever the name.
 */
import type { GroupRole } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import type { MemberPage } from './contract.js';

export interface MemberPageRow {
  user_id: string;
  role: GroupRole;
  muted: number;
  joined_at: number;
  name: string;
  avatar: string | null;
  rank: number;
  sort_name: string;
}

export interface MemberCursor {
  rank: number;
  id: string;
}

export function encodeMemberCursor(rank: number, userId: string): string {
  return Buffer.from(JSON.stringify([rank, userId])).toString('base64url');
}

/** The position a cursor names; `invalid_payload` for one this server did not make. */
export function decodeMemberCursor(cursor: string): MemberCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [rank, id] = parsed as unknown[];
    if (typeof rank === 'number' && Number.isInteger(rank) && typeof id === 'string') {
      return { rank, id };
    }
  }
  throw invalidMemberCursor();
}

export function invalidMemberCursor(): CommandError {
  return new CommandError('invalid_payload', 'invalid payload: cursor is not a members cursor', {
    issues: [{ path: 'cursor', message: 'not a cursor of this server' }],
  });
}

/** A page from the rows read for it: one more than `limit` tells that more follow. */
export function toMemberPage(rows: readonly MemberPageRow[], limit: number): MemberPage {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    members: shown.map((row) => ({
      userId: row.user_id,
      role: row.role,
      muted: row.muted === 1,
      joinedAt: row.joined_at,
    })),
    users: shown.map((row) => ({ id: row.user_id, name: row.name, avatar: row.avatar })),
    cursor: rows.length > limit && last ? encodeMemberCursor(last.rank, last.user_id) : null,
  };
}
