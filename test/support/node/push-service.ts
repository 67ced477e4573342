/**
 * A push service on 127.0.0.1 for tests: it takes Web Push requests as a browser vendor's
 * service would, and decrypts them with the subscriber keys of the browsers it made.
 */
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import type { PushSubscribePayload } from '../../../src/protocol/index.js';
import { waitMs, withTimeout } from './wait.js';

export interface ReceivedPush {
  /** Which subscription it was for. */
  endpoint: string;
  headers: IncomingHttpHeaders;
  /** The decrypted payload, parsed. */
  payload: unknown;
}

interface Subscriber {
  ecdh: ECDH;
  auth: string;
  /** The status the service answers with: 201, or 410 once the browser unsubscribed. */
  status: number;
}

/** What a browser makes for a subscription: the key pair pushes are encrypted for, an auth secret. */
export function subscriberKeys(): { ecdh: ECDH; keys: PushSubscribePayload['keys'] } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return { ecdh, keys: { p256dh: ecdh.getPublicKey('base64url'), auth } };
}

export class PushService {
  readonly received: ReceivedPush[] = [];
  /** Endpoints of requests answered with an error (an expired subscription's 410). */
  readonly refused: string[] = [];
  readonly #subscribers = new Map<string, Subscriber>();
  readonly #waiters = new Set<() => void>();
  #next = 0;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<PushService> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const service = new PushService(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = service.#receive(request.url ?? '', request.headers, Buffer.concat(chunks));
        response.writeHead(status).end();
      });
    });
    return service;
  }

  /** A browser's subscription to this service, as `PushSubscription.toJSON()` gives it. */
  subscribe(): PushSubscribePayload {
    const { ecdh, keys } = subscriberKeys();
    const endpoint = `${this.origin}/push/${++this.#next}`;
    this.#subscribers.set(endpoint, { ecdh, auth: keys.auth, status: 201 });
    return { endpoint, expirationTime: null, keys };
  }

  /** The browser dropped the subscription: the service answers 410 Gone from now on. */
  expire(endpoint: string): void {
    this.#subscribers.get(endpoint)!.status = 410;
  }

  pushesTo(endpoint: string): ReceivedPush[] {
    return this.received.filter((push) => push.endpoint === endpoint);
  }

  /** Waits until `count` pushes reached this endpoint. */
  async waitForPushes(endpoint: string, count = 1): Promise<ReceivedPush[]> {
    await this.#until(() => this.pushesTo(endpoint).length >= count, `${count} push(es) to ${endpoint}`);
    return this.pushesTo(endpoint);
  }

  /** Waits until a request to this endpoint was refused. */
  waitForRefusal(endpoint: string): Promise<void> {
    return this.#until(() => this.refused.includes(endpoint), `a refused push to ${endpoint}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  #until(done: () => boolean, what: string): Promise<void> {
    let wake = () => {};
    const reached = new Promise<void>((resolve) => {
      wake = () => {
        if (done()) resolve();
      };
      this.#waiters.add(wake);
      wake();
    });
    return withTimeout(reached, waitMs, what).finally(() => this.#waiters.delete(wake));
  }

  #receive(path: string, headers: IncomingHttpHeaders, body: Buffer): number {
    const endpoint = `${this.origin}${path}`;
    const subscriber = this.#subscribers.get(endpoint);
    if (!subscriber || subscriber.status !== 201) {
      this.refused.push(endpoint);
      for (const wake of this.#waiters) wake();
      return subscriber?.status ?? 404;
    }
    const { ecdh, auth } = subscriber;
    const plain = decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth });
    this.received.push({ endpoint, headers, payload: JSON.parse(plain.toString('utf8')) });
    for (const wake of this.#waiters) wake();
    return 201;
  }
}
