import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The hosts of the browsers' push services (Chrome, Edge and other Chromium browsers on
 * FCM or WNS, Firefox, Safari). A subscription's endpoint must be on one of them: any
 * other URL would make the server send requests wherever a user points it.
 */
export const defaultPushServiceHosts: readonly string[] = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

/** Where the server may post pushes. */
export interface PushEndpointPolicy {
  /** Host names of push services; `*.example.com` matches its subdomains. */
  serviceHosts: readonly string[];
  /**
   * `host` or `host:port` of push services the operator runs on a private network: reached
   * over http too, whatever address they resolve to. Empty by default.
   */
  trustedHosts: readonly string[];
}

/** Why the server will not post to this push endpoint, or null if it will. */
export function pushEndpointProblem(endpoint: string, policy: PushEndpointPolicy): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'must be a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (isTrustedHost(url, policy)) return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'must be an http(s) URL';
  if (url.protocol !== 'https:') return 'must be an https URL';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) return 'must name a push service by its host name';
  if (!policy.serviceHosts.some((pattern) => hostMatches(host, pattern))) {
    return 'must be on a known push service';
  }
  return null;
}

export function isTrustedHost(url: URL, policy: PushEndpointPolicy): boolean {
  return policy.trustedHosts.includes(url.host.toLowerCase());
}

function hostMatches(host: string, pattern: string): boolean {
  const name = host.toLowerCase();
  if (!pattern.startsWith('*.')) return name === pattern;
  const suffix = pattern.slice(1);
  return name.endsWith(suffix) && name.length > suffix.length;
}

/** Only addresses on the public internet: not loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it stands for.
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * DNS lookup for connections to push services that fails for any non-public address.
 * The check runs on the addresses the socket then connects to, so a name that resolved
 * to a public address when subscribed and to an internal one now (DNS rebinding) fails.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused || addresses.length === 0) {
      const problem = Object.assign(
        new Error(`${hostname} resolves to ${refused?.address ?? 'nothing'}, not a public address`),
        { code: 'EADDRNOTPUBLIC' },
      );
      return callback(problem, '', 0);
    }
    if (options.all) return (callback as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    callback(null, first!.address, first!.family);
  });
};
