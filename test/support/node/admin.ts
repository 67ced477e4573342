import { createHmac } from 'node:crypto';
import { startGroupServer } from './groups.js';
import type { TestServer, TestServerOptions } from './server.js';

export interface AdminResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A host backend calling the admin API with an API key (or, with `hmacSecret`, signing each request). */
export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials: { apiKey?: string; hmacSecret?: string },
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AdminResponse<T>> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const url = new URL(`/api/admin/v1${path}`, this.baseUrl);
    const sent: Record<string, string> = { ...headers };
    if (raw) sent['content-type'] = 'application/json';
    if (this.credentials.apiKey) sent['authorization'] = `Bearer ${this.credentials.apiKey}`;
    if (this.credentials.hmacSecret) Object.assign(sent, signRequest(this.credentials.hmacSecret, method, url, raw));
    const response = await fetch(url, { method, headers: sent, body: raw || undefined });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('POST', path, body ?? {}, headers);
  put = <T = any>(path: string, body: unknown) => this.request<T>('PUT', path, body);
  patch = <T = any>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  delete = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('DELETE', path, undefined, headers);
}

/** The signature headers, as docs/admin-api.md tells a host backend to make them. */
export function signRequest(secret: string, method: string, url: URL, rawBody: string, at = Date.now()) {
  const timestamp = String(Math.floor(at / 1000));
  const signed = `${timestamp}.${method}.${url.pathname}${url.search}.${rawBody}`;
  return {
    'x-im-timestamp': timestamp,
    'x-im-signature': `v1=${createHmac('sha256', secret).update(signed).digest('hex')}`,
  };
}

/** The API key test servers are given for their admin API. */
export const testApiKey = 'k'.repeat(40);

/** A server that knows the group test users, with its admin API on, and a client of it. */
export async function startAdminServer(options: TestServerOptions = {}): Promise<{ server: TestServer; admin: AdminClient }> {
  const server = await startGroupServer({ admin: { apiKeys: [testApiKey] }, ...options });
  return { server, admin: new AdminClient(server.url, { apiKey: testApiKey }) };
}
