/**
 * Sync cursors (`conversations.read.changes`): `<epoch>.<version>.<id>`. The epoch names one
 * incarnation of the data; a cursor of another one, or anything unreadable, restarts the
 * listing from scratch. One commit may change many conversations under one version, so a
 * page can end among them: the id of the last one listed says where to go on. (A cursor
 * without an id, `<epoch>.<version>`, has seen all of that version.)
 */
export function formatChangeCursor(epoch: string, version: number, lastId: string | null): string {
  return lastId === null ? `${epoch}.${version}` : `${epoch}.${version}.${Buffer.from(lastId).toString('base64url')}`;
}

export interface ChangeCursor {
  since: number;
  /** Conversations of version `since` with an id after this one are still to list; null: none. */
  afterId: string | null;
  reset: boolean;
}

export function parseChangeCursor(cursor: string | null, epoch: string): ChangeCursor {
  const fresh = { since: 0, afterId: null, reset: false };
  if (cursor === null) return fresh;
  const match = /^([A-Za-z0-9_-]+)\.(\d{1,15})(?:\.([A-Za-z0-9_-]{1,200}))?$/.exec(cursor);
  if (!match || match[1] !== epoch) return { ...fresh, reset: true };
  const afterId = match[3] === undefined ? null : Buffer.from(match[3], 'base64url').toString('utf8');
  return { since: Number(match[2]), afterId, reset: false };
}
