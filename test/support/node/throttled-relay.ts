/**
 * A TCP relay on loopback that passes what clients send to a server at a limited rate
 * (answers pass at full speed): a slow uplink in front of a real server, the same for
 * every browser engine, so that an upload takes long enough to watch and cancel.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class ThrottledRelay {
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;

  private constructor(targetPort: number, bytesPerSecond: number) {
    this.#server = createServer((incoming) => {
      const outgoing = createConnection({ host: '127.0.0.1', port: targetPort });
      for (const socket of [incoming, outgoing]) {
        this.#sockets.add(socket);
        socket.on('close', () => {
          this.#sockets.delete(socket);
          incoming.destroy();
          outgoing.destroy();
        });
        socket.on('error', () => socket.destroy());
      }
      outgoing.pipe(incoming);
      incoming.on('data', (chunk: Buffer) => {
        // Hold the client back for as long as this chunk takes at the chosen rate.
        incoming.pause();
        outgoing.write(chunk);
        setTimeout(() => incoming.resume(), (chunk.length / bytesPerSecond) * 1000);
      });
      incoming.on('end', () => outgoing.end());
    });
  }

  /** Relays 127.0.0.1:<a free port> to 127.0.0.1:`targetPort`, uplink at `bytesPerSecond`. */
  static async start(targetPort: number, bytesPerSecond: number): Promise<ThrottledRelay> {
    const relay = new ThrottledRelay(targetPort, bytesPerSecond);
    await new Promise<void>((resolve) => relay.#server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the relay does not listen');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
