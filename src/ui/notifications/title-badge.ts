/**
 * The unread count in the page's title: "(3) Original title". Every widget on the page
 * reports its count; widgets of the same user and server count once, others add up.
 * The host may change the title meanwhile: the count is then put before the new one.
 */
const counts = new Map<object, { account: string; unread: number }>();
let written: string | null = null;
let base = '';

export function setTitleCount(owner: object, account: string, unread: number): void {
  if (unread > 0) counts.set(owner, { account, unread });
  else counts.delete(owner);
  render();
}

export function clearTitleCount(owner: object): void {
  if (counts.delete(owner)) render();
}

function render(): void {
  if (written === null || document.title !== written) base = document.title;
  const perAccount = new Map<string, number>();
  for (const { account, unread } of counts.values()) {
    perAccount.set(account, Math.max(unread, perAccount.get(account) ?? 0));
  }
  let total = 0;
  for (const unread of perAccount.values()) total += unread;
  if (total === 0) {
    if (written !== null && document.title === written) document.title = base;
    written = null;
    return;
  }
  written = `(${total > 999 ? '999+' : total}) ${base}`;
  if (document.title !== written) document.title = written;
}
