/**
 * An HTTP relay on loopback in front of a real server, for one browser profile, that can
 * hold back requests to chosen paths (they stay unanswered, as on a network that never
 * delivers them) while everything else passes, go offline, serve pages of its own and run
 * a script first in every page. It works the same for every engine, where
 * request interception by the driver does not (WebKit's WebDriver has none).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export class HoldingProxy {
  readonly #open = new Set<Duplex>();
  readonly #waiting = new Set<Duplex>();
  #held: RegExp[] = [];
  #delayed: RegExp[] = [];
  #delayedRequests: (() => void)[] = [];
  #offline = false;
  /** Paths of the scripts every page runs first (see `injectScript`). */
  readonly #scripts: string[] = [];
  readonly #pages = new Map<string, { contentType: string; body: string; headers: Record<string, string> }>();

  private constructor(
    private readonly server: Server,
    private readonly targetPort: () => number,
  ) {
    server.on('request', (incoming, outgoing) => {
      if (this.#offline) return incoming.socket.destroy();
      if (this.#holds(incoming)) return this.#hold(incoming.socket);
      if (this.#delayed.some((path) => path.test(incoming.url ?? ''))) {
        this.#delayedRequests.push(() => this.#answer(incoming, outgoing));
        return;
      }
      this.#answer(incoming, outgoing);
    });
    server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.#offline) return socket.destroy();
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

  /**
   * Runs `source` in every page from now on, before the page's own scripts: each HTML page
   * that passes gets a script tag for it first in its head (a same-origin script, which
   * the demo's strict Content Security Policy allows), as a host page's own early script
   * would. Works the same in every engine, where not every driver has init scripts.
   */
  injectScript(source: string): void {
    const path = `/__relay/init-${this.#scripts.length}.js`;
    this.#scripts.push(path);
    this.serve(path, { contentType: 'text/javascript', body: source });
  }

  /** Answers `path` with this page itself (a page of the site that the server does not have). */
  serve(path: string, page: { contentType: string; body: string; headers?: Record<string, string> }): void {
    this.#pages.set(path, { headers: {}, ...page });
  }

  /** Every request fails at once, as with no network at all, until `online`. */
  offline(): void {
    this.#offline = true;
    for (const socket of this.#open) socket.destroy();
  }

  online(): void {
    this.#offline = false;
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

  /**
   * Requests whose path matches one of `paths` from now on wait (a slow network), and are
   * answered when the returned function is called.
   */
  delay(...paths: RegExp[]): () => void {
    this.#delayed = paths;
    return () => {
      this.#delayed = [];
      for (const answer of this.#delayedRequests.splice(0)) answer();
    };
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Answers a request: from the pages served here, or from the server (scripts added to its pages). */
  #answer(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const path = new URL(incoming.url ?? '/', 'http://relay').pathname;
    const page = this.#pages.get(path);
    if (page) {
      outgoing.writeHead(200, { 'content-type': page.contentType, 'cache-control': 'no-store', ...page.headers });
      outgoing.end(page.body);
      return;
    }
    const injecting = this.#scripts.length > 0;
    const headers = { ...incoming.headers };
    // Pages are rewritten below: they must come as plain text.
    if (injecting) delete headers['accept-encoding'];
    const forward = request(
      {
        host: '127.0.0.1',
        port: this.targetPort(),
        method: incoming.method,
        path: incoming.url,
        headers,
        agent: false,
      },
      (answer) => {
        const html = /^text\/html/.test(answer.headers['content-type'] ?? '');
        if (!injecting || !html) {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = this.#withScripts(Buffer.concat(chunks).toString());
          const { 'content-length': _length, etag: _etag, ...rest } = answer.headers;
          outgoing.writeHead(answer.statusCode ?? 502, { ...rest, 'cache-control': 'no-store' });
          outgoing.end(body);
        });
      },
    );
    // The server is down: the connection ends, as it would without the relay.
    forward.on('error', () => incoming.socket.destroy());
    // The browser gave up on the request (its page closed, say): so does the relay, as a
    // network's proxy does. Otherwise a long poll would keep a closed page's session alive
    // on the server until its ping timed out, some 45 s later.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) forward.destroy();
    });
    forward.on('socket', (socket) => this.#track(socket));
    incoming.pipe(forward);
  }

  #withScripts(html: string): string {
    const tags = this.#scripts.map((path) => `<script src="${path}"></script>`).join('');
    const head = /<head[^>]*>/i.exec(html);
    if (!head) return tags + html;
    const at = head.index + head[0].length;
    return html.slice(0, at) + tags + html.slice(at);
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
