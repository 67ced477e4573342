import { isIP } from 'node:net';

/**
 * Why the server will not post to this push endpoint, or null if it will. Push services
 * are public https hosts; anything else (plain http, an IP address, localhost) could
 * turn subscriptions into requests against the server's own network. Tests that run a
 * push service on loopback allow it explicitly.
 */
export function pushEndpointProblem(endpoint: string, allowLoopback: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'must be a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (loopback && allowLoopback) return null;
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (loopback || host.endsWith('.localhost') || isIP(host) !== 0) {
    return 'must name a push service by its host name';
  }
  return null;
}
