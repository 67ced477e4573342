/**
 * Whether the support panel was open, per tab and im-chat server, so that it stays open
 * from one page of the site to the next. Read by the loader too, to load the widget at
 * once when it was.
 */
export function supportOpenKey(server: string): string {
  return `im-chat:support-open:${new URL(server, location.href).origin}`;
}

export function readSupportOpen(server: string): boolean {
  try {
    return sessionStorage.getItem(supportOpenKey(server)) === '1';
  } catch {
    return false; // storage blocked: the panel starts closed
  }
}

export function writeSupportOpen(server: string, open: boolean): void {
  try {
    if (open) sessionStorage.setItem(supportOpenKey(server), '1');
    else sessionStorage.removeItem(supportOpenKey(server));
  } catch {
    // Storage blocked: the panel simply starts closed on the next page.
  }
}
