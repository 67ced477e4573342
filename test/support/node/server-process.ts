/**
 * A reference server that keeps running across a test: the real entry point
 * (src/server/main.ts) as a child process, which tests can stop, crash and bring back on
 * the same port while browsers stay connected.
 */
import { MainProcess } from './main-process.js';

const stopTimeoutMs = 10_000;

export interface ServerProcessOptions {
  dataDir: string;
  /** 0 (default) picks a free port; a restart reuses the port first given out. */
  port?: number;
  demo?: boolean;
  env?: Record<string, string>;
}

export class ServerProcess {
  #process: MainProcess | null = null;
  /** The start under way, if any: until it ends the server is neither running nor stopped. */
  #starting: Promise<void> | null = null;
  #port: number;
  #options: ServerProcessOptions;

  private constructor(options: ServerProcessOptions) {
    this.#options = options;
    this.#port = options.port ?? 0;
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    await server.start();
    return server;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get running(): boolean {
    return this.#process !== null;
  }

  /** Resolves once a start under way (if any) has ended, whether the server came up or not. */
  async settled(): Promise<void> {
    await this.#starting?.catch(() => undefined);
  }

  /** Starts (again), on the same port as before; `dataDir` replaces the data directory. */
  async start(changes: { dataDir?: string } = {}): Promise<void> {
    if (this.#process || this.#starting) throw new Error('The server is already running.');
    this.#starting = this.#start(changes);
    try {
      await this.#starting;
    } finally {
      this.#starting = null;
    }
  }

  async #start(changes: { dataDir?: string }): Promise<void> {
    if (changes.dataDir) this.#options = { ...this.#options, dataDir: changes.dataDir };
    const child = new MainProcess(
      {
        IM_PORT: String(this.#port),
        IM_HOST: '127.0.0.1',
        IM_DATA_DIR: this.#options.dataDir,
        ...this.#options.env,
      },
      this.#options.demo ? ['--demo'] : [],
    );
    try {
      const [, port] = await child.waitForLine(/listening on http:\/\/[^:/\s]+:(\d+)/);
      this.#port = Number(port);
    } catch (error) {
      await child.stop();
      throw error;
    }
    this.#process = child;
    void child.exited.then(() => {
      if (this.#process === child) this.#process = null;
    });
  }

  /** Graceful stop (SIGTERM), as an operator would; fails if the server does not exit in time. */
  async stop(): Promise<void> {
    const child = this.#process;
    if (!child) return;
    child.signal('SIGTERM');
    try {
      await child.exitCode(stopTimeoutMs);
    } catch {
      await child.stop();
      throw new Error(`The server did not exit within ${stopTimeoutMs} ms of SIGTERM.\n${child.stderr}`);
    } finally {
      this.#process = null;
    }
  }

  /** Abrupt end (SIGKILL), as a crash of the process. */
  async kill(): Promise<void> {
    await this.#process?.stop();
    this.#process = null;
  }
}
