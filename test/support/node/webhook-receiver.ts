import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withTimeout, waitMs } from './wait.js';
import { Waiters } from './waiters.js';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered. */
  status: number;
}

/**
 * A host's webhook endpoint on 127.0.0.1: records every request and answers with what
 * `respond` says (200 by default), so a test can make it fail for a while.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respond: (request: ReceivedWebhook) => number = () => 200;
  readonly #waiters = new Waiters();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const entry: ReceivedWebhook = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status: 0 };
        entry.status = receiver.respond(entry);
        receiver.received.push(entry);
        response.statusCode = entry.status;
        response.end();
        receiver.#waiters.notify();
      });
    });
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/im-chat`;
  }

  /** The deliveries it accepted (2xx), parsed. */
  get accepted(): { id: string; type: string; createdAt: number; data: Record<string, any> }[] {
    return this.received.filter((entry) => entry.status < 300).map((entry) => JSON.parse(entry.body));
  }

  /** Resolves once `check` holds of what was received. */
  until(check: (receiver: WebhookReceiver) => boolean, what: string, timeoutMs = waitMs * 2): Promise<void> {
    const find = () => (check(this) ? true : undefined);
    return this.#waiters.until(find, (done) => withTimeout(done, timeoutMs, what)).then(() => undefined);
  }

  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // The server's keep-alive connections would hold the close for seconds.
    this.server.closeAllConnections();
    return closed;
  }
}
