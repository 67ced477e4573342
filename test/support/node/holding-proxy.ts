/**
 * An HTTP relay on loopback in front of a real server, for one browser profile, that can
 * hold back requests to chosen paths (they stay unanswered, as on a network that never
 * delivers them) while everything else passes. It works the same for every engine, where
 * request interception by the driver does not (WebKit's WebDriver has none).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export class HoldingProxy {
  readonly #open = new Set<Duplex>();
  readonly #waiting = new Set<Duplex>();
  #held: RegExp[] = [];

  private constructor(
    private readonly server: Server,
    private readonly targetPort: () => number,
  ) {
    server.on('request', (incoming, outgoing) => {
      if (this.#holds(incoming)) return this.#hold(incoming.socket);
      const forward = request(
        {
          host: '127.0.0.1',
          port: this.targetPort(),
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          agent: false,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      // The server is down: the connection ends, as it would without the relay.
      forward.on('error', () => incoming.socket.destroy());
      incoming.pipe(forward);
    });
    server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.#holds(incoming)) return this.#hold(socket);
      const target = connect({ host: '127.0.0.1', port: this.targetPort() });
      this.#track(socket);
      this.#track(target);
      const lines = [`${incoming.method} ${incoming.url} HTTP/1.1`];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) lines.push(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}`);
      target.write(`${lines.join('\r\n')}\r\n\r\n`);
      target.write(head);
      for (const [from, to] of [[socket, target], [target, socket]] as const) {
        from.on('error', () => to.destroy());
        from.on('close', () => to.destroy());
      }
      socket.pipe(target).pipe(socket);
    });
  }

  /** Relays 127.0.0.1:<a free port> to the server now on `targetPort()` (it may restart). */
  static async start(targetPort: () => number): Promise<HoldingProxy> {
    const proxy = new HoldingProxy(createServer(), targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy does not listen');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Requests whose path matches one of `paths` from now on get no answer, until `release`. */
  hold(...paths: RegExp[]): void {
    this.#held = paths;
  }

  /** Answers again, and ends the connections held so far (the browser retries them). */
  release(): void {
    this.#held = [];
    for (const socket of this.#waiting) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #holds(incoming: IncomingMessage): boolean {
    return this.#held.some((path) => path.test(incoming.url ?? ''));
  }

  #hold(socket: Duplex): void {
    this.#waiting.add(socket);
    socket.on('close', () => this.#waiting.delete(socket));
    this.#track(socket);
  }

  #track(socket: Duplex | Socket): void {
    this.#open.add(socket);
    socket.on('close', () => this.#open.delete(socket));
  }
}
