/**
 * A TCP relay on loopback in front of a real service, which a test can cut off (every
 * connection through it ends, new ones are refused) and bring back: the service going
 * away and returning, as a server sees it, without stopping the service others share.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  readonly #sockets = new Set<Socket>();
  #cut = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Relays 127.0.0.1:<a free port> to `target` (host and port). */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((incoming) => {
      if (!proxy || proxy.#cut) {
        incoming.destroy();
        return;
      }
      const outgoing = createConnection(target);
      for (const socket of [incoming, outgoing]) {
        proxy.#sockets.add(socket);
        socket.on('close', () => proxy!.#sockets.delete(socket));
        socket.on('error', () => {
          incoming.destroy();
          outgoing.destroy();
        });
      }
      incoming.pipe(outgoing).pipe(incoming);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  /** Ends every connection through the proxy and refuses new ones until `restore`. */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  restore(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
