/**
 * Sync cursors (`changedConversations`): `<epoch>.<version>`. The epoch names one
 * incarnation of the data; a cursor of another one, or anything unreadable, restarts the
 * listing from scratch.
 */
export function formatChangeCursor(epoch: string, version: number): string {
  return `${epoch}.${version}`;
}

export function parseChangeCursor(
  cursor: string | null,
  epoch: string,
): { since: number; reset: boolean } {
  if (cursor === null) return { since: 0, reset: false };
  const match = /^([A-Za-z0-9_-]+)\.(\d{1,15})$/.exec(cursor);
  if (!match || match[1] !== epoch) return { since: 0, reset: true };
  return { since: Number(match[2]), reset: false };
}
