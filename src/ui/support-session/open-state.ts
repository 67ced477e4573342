/**
 * Whether the support panel was open, per tab, im-chat server and instance (several on one
 * page are told apart by `data-name`, else `id`), so that it stays open from one page of
 * the site to the next. Read by the loader too, to load the widget at once when it was.
 */
export function supportOpenKey(server: string, instance: string): string {
  return `im-chat:support-open:${new URL(server, location.href).origin}:${instance}`;
}

/** The name that tells an element apart from other support widgets on the page. */
export function instanceName(element: HTMLElement): string {
  return element.dataset['name'] ?? element.id;
}

export function readSupportOpen(server: string, instance: string): boolean {
  try {
    return sessionStorage.getItem(supportOpenKey(server, instance)) === '1';
  } catch {
    return false; // storage blocked: the panel starts closed
  }
}

export function writeSupportOpen(server: string, instance: string, open: boolean): void {
  try {
    if (open) sessionStorage.setItem(supportOpenKey(server, instance), '1');
    else sessionStorage.removeItem(supportOpenKey(server, instance));
  } catch {
    // Storage blocked: the panel simply starts closed on the next page.
  }
}
