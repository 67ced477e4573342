import type { IncomingMessage } from 'node:http';

/** Exact origins (`https://shop.example`) that may connect besides the server's own, or any. */
export type AllowedOrigins = readonly string[] | '*';

/**
 * Browsers always send Origin on cross-site requests and on WebSocket handshakes, so its
 * absence means a non-browser client, which no allow-list can restrain anyway. The
 * server's own origin (the Origin's host equals the Host header) is always allowed.
 */
export function isOriginAllowed(request: IncomingMessage, allowed: AllowedOrigins): boolean {
  const { origin, host } = request.headers;
  if (origin === undefined || allowed === '*') return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Canonical form of a configured origin (`https://Shop.example/` -> `https://shop.example`). */
export function normalizeOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${value}" is not an origin like https://shop.example`);
  }
  const isBare =
    url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !isBare) {
    throw new Error(`"${value}" is not an origin like https://shop.example`);
  }
  return url.origin;
}
