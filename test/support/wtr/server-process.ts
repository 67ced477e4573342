/**
 * Runs the reference server's real entry point (src/server/main.ts) as a child process,
 * the way `npm start` does, so tests can stop it, crash it and bring it back on the same
 * port while browsers stay connected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;

export interface ServerProcessOptions {
  dataDir: string;
  /** 0 (default) picks a free port; a restart reuses the port first given out. */
  port?: number;
  demo?: boolean;
  env?: Record<string, string>;
}

export class ServerProcess {
  #child: ChildProcess | null = null;
  #port: number;
  #options: ServerProcessOptions;
  #output = '';

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
    return this.#child !== null;
  }

  /** What the server printed so far (for failure messages). */
  get output(): string {
    return this.#output;
  }

  /** Starts (again), on the same port as before; `dataDir` replaces the data directory. */
  async start(changes: { dataDir?: string } = {}): Promise<void> {
    if (this.#child) throw new Error('The server is already running.');
    if (changes.dataDir) this.#options = { ...this.#options, dataDir: changes.dataDir };
    const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server/main.ts', ...(this.#options.demo ? ['--demo'] : [])],
      {
        cwd: root,
        env: {
          ...inherited,
          IM_PORT: String(this.#port),
          IM_HOST: '127.0.0.1',
          IM_DATA_DIR: this.#options.dataDir,
          ...this.#options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    child.once('exit', () => {
      if (this.#child === child) this.#child = null;
    });
    this.#port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('The server did not start in time.')), startTimeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${error.message}\n--- server output ---\n${this.#output}`));
      };
      const onData = (chunk: Buffer) => {
        this.#output += chunk.toString();
        const match = /listening on http:\/\/[^:/\s]+:(\d+)/.exec(this.#output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
      child.once('exit', (code) => fail(new Error(`The server exited with code ${code}.`)));
    });
  }

  /** Graceful stop (SIGTERM), as an operator would; fails if the server does not exit in time. */
  async stop(): Promise<void> {
    if (await this.#signal('SIGTERM', stopTimeoutMs)) return;
    await this.#signal('SIGKILL', stopTimeoutMs);
    throw new Error(
      `The server did not exit within ${stopTimeoutMs} ms of SIGTERM.\n--- server output ---\n${this.#output}`,
    );
  }

  /** Abrupt end (SIGKILL), as a crash or power loss of the process. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL', stopTimeoutMs);
  }

  /** Sends the signal; resolves whether the process exited within `timeoutMs`. */
  async #signal(signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
    const child = this.#child;
    if (!child) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = await Promise.race([
      new Promise<boolean>((resolve) => child.once('exit', () => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      Promise.resolve(child.kill(signal)).then(() => new Promise<never>(() => undefined)),
    ]);
    clearTimeout(timer);
    if (exited) this.#child = null;
    return exited;
  }
}
