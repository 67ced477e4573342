import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './wait.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A bound for a hung start only (a server that fails exits, and that is reported at once):
 * tsx compiling the server on two cores shared with browsers and other runs was seen to
 * take a minute.
 */
export const startupMs = 120_000;

/** `src/server/main.ts` run as its own process, as `npm start` would (without the build). */
export class MainProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;
  #onOutput = () => {};

  /**
   * `launcher` is a command line the server runs under (a tracer, say): its last word is
   * followed by node and the server's arguments.
   */
  constructor(env: Record<string, string>, args: string[] = [], launcher: string[] = []) {
    // Only the settings given here: none leak in from the environment running the tests
    // (NODE_OPTIONS too: a test runner's loaders are not the server's).
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith('IM_') && key !== 'PORT' && key !== 'NODE_OPTIONS',
      ),
    );
    const command = [...launcher, process.execPath, '--import', 'tsx', 'src/server/main.ts', ...args];
    this.#child = spawn(command[0]!, command.slice(1), {
      cwd: repositoryRoot,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.#onOutput();
    });
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.#onOutput();
    });
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  /** The first line of stdout (or stderr) matching `pattern`, as a match. */
  waitForLine(
    pattern: RegExp,
    stream: 'stdout' | 'stderr' = 'stdout',
    timeoutMs = startupMs,
  ): Promise<RegExpMatchArray> {
    const found = new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        for (const line of this[stream].split('\n')) {
          const match = line.match(pattern);
          if (match) return resolve(match);
        }
      };
      this.#onOutput = check;
      check();
      void this.exited.then((code) =>
        reject(new Error(`exited with ${code} before printing ${pattern}: ${this.stderr}`)),
      );
    });
    return withTimeout(found, timeoutMs, `a line matching ${pattern}`);
  }

  /** The exit code, after the process ends by itself. */
  exitCode(timeoutMs = startupMs): Promise<number | null> {
    return withTimeout(this.exited, timeoutMs, 'the process to exit');
  }

  /** The id of the process started: the launcher's, when there is one. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** Ends the process if it still runs; for cleanup. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGKILL');
      await this.exited;
    }
  }
}
