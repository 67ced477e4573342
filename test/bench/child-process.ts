import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../support/node/wait.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A TypeScript module run through tsx in a child process, its IPC messages queued so that
 * the orchestrator can wait for each in turn. stdout and stderr go to the terminal.
 */
export class ChildHandle<Incoming extends { type: string }, Outgoing> {
  readonly exited: Promise<void>;
  readonly #child: ChildProcess;
  readonly #queue: Incoming[] = [];
  readonly #waiters = new Set<() => void>();
  #exitCode: number | string | null = null;

  constructor(
    readonly name: string,
    modulePath: string,
    options: { env: Record<string, string>; nodeArgs?: readonly string[] },
  ) {
    this.#child = fork(modulePath, [], {
      cwd: repositoryRoot,
      execArgv: ['--import', 'tsx', ...(options.nodeArgs ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: Incoming) => {
      this.#queue.push(message);
      this.#wakeWaiters();
    });
    this.exited = new Promise((resolve) =>
      this.#child.once('exit', (code, signal) => {
        this.#exitCode = code ?? signal ?? 'unknown';
        this.#wakeWaiters();
        resolve();
      }),
    );
  }

  get running(): boolean {
    return this.#exitCode === null;
  }

  send(message: Outgoing): void {
    if (this.#child.connected) this.#child.send(message as object);
  }

  /** The next message of this type; fails if the child exits or time runs out first. */
  receive<T extends Incoming['type']>(type: T, timeoutMs: number): Promise<Extract<Incoming, { type: T }>> {
    type Wanted = Extract<Incoming, { type: T }>;
    let check = () => {};
    const received = new Promise<Wanted>((resolve, reject) => {
      check = () => {
        const index = this.#queue.findIndex((message) => message.type === type);
        if (index !== -1) {
          // At once, so that a later message of the same type stays queued for the next call.
          this.#waiters.delete(check);
          resolve(this.#queue.splice(index, 1)[0] as Wanted);
        } else if (!this.running) {
          reject(new Error(`${this.name} exited (${this.#exitCode}) before sending "${type}"`));
        }
      };
      this.#waiters.add(check);
      check();
    });
    return withTimeout(received, timeoutMs, `${this.name} to send "${type}"`).finally(() =>
      this.#waiters.delete(check),
    );
  }

  /** Sends the child `request` (to stop), gives it `graceMs` to exit, then kills it. */
  async stop(graceMs: number, request: Outgoing): Promise<void> {
    if (!this.running) return;
    this.send(request);
    try {
      await withTimeout(this.exited, graceMs, `${this.name} to exit`);
    } catch {
      console.error(`${this.name} did not exit within ${graceMs} ms: killing it`);
      this.#child.kill('SIGKILL');
      await this.exited;
    }
  }

  #wakeWaiters(): void {
    for (const wake of this.#waiters) wake();
  }
}
