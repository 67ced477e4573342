/**
 * The three browser engines the tests run in, as Debian packages install them:
 * Chromium (`chromium`), Firefox (`firefox-esr`, driven over WebDriver BiDi) and WebKit
 * (`webkit2gtk-driver`: WebKitWebDriver and the MiniBrowser, which needs an X display).
 * `IM_BROWSERS=chromium,firefox` narrows a run to some of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { chromiumArgs, chromiumPath } from './chromium.js';

export type Engine = 'chromium' | 'firefox' | 'webkit';
export const allEngines: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

export function selectedEngines(): Engine[] {
  const wanted = process.env.IM_BROWSERS?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!wanted?.length) return [...allEngines];
  const unknown = wanted.filter((name) => !allEngines.includes(name as Engine));
  if (unknown.length) throw new Error(`IM_BROWSERS names unknown engines: ${unknown.join(', ')} (known: ${allEngines.join(', ')}).`);
  return wanted as Engine[];
}

export { chromiumArgs, chromiumPath };
export const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
export const webkitDriverPath = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';
export const miniBrowserPath =
  process.env.WEBKIT_BROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Firefox preferences for a closed network and for tests that need no prompt. */
export const firefoxPrefs: Record<string, unknown> = {
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'dom.events.testing.asyncClipboard': true,
  'dom.events.asyncClipboard.readText': true,
  'permissions.default.desktop-notification': 2,
  // A built-in tone stands in for the microphone, granted without asking (voice messages).
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
};

/** A port no one listens on now (the test runner's own default, 8000, may be taken by another run). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function firstLine(child: ChildProcess, stream: NodeJS.ReadableStream, what: string): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        stream.off('data', onData);
        resolve(text.slice(0, newline).trim());
      }
    };
    stream.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready.`)));
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode}).`);
    const ok = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port}.`);
}

/**
 * An X display of its own (Xvfb picks a free number) and a WebKitWebDriver that starts
 * MiniBrowser windows on it. `stop()` ends both.
 */
export class WebKitDriverService {
  private constructor(
    readonly port: number,
    private readonly xvfb: ChildProcess,
    private readonly driver: ChildProcess,
  ) {}

  static async start(): Promise<WebKitDriverService> {
    const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let driver: ChildProcess | undefined;
    try {
      const display = await firstLine(xvfb, xvfb.stdout!, 'Xvfb');
      const port = await freePort();
      driver = spawn(webkitDriverPath, [`--port=${port}`], {
        stdio: 'ignore',
        env: { ...process.env, DISPLAY: `:${display}` },
      });
      await waitForPort(port, driver);
      return new WebKitDriverService(port, xvfb, driver);
    } catch (error) {
      driver?.kill();
      xvfb.kill();
      throw error;
    }
  }

  /** W3C capabilities for a MiniBrowser session (WebKitGTK takes no `browserName`). */
  static capabilities(): Record<string, unknown> {
    return {
      'webkitgtk:browserOptions': { binary: miniBrowserPath, args: ['--automation'] },
    };
  }

  async stop(): Promise<void> {
    for (const child of [this.driver, this.xvfb]) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    }
  }
}
