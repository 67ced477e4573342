/**
 * The demo as `npm start` runs it (the real server entry with `--demo` and the built
 * widget), driven in one browser engine, for end-to-end tests that run once per engine.
 * Each window reaches the server through a relay of its own, so that a test can hold back
 * that window's network without touching the others'.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineBrowser, type DemoPage, type PageOptions, type Viewport } from './demo-driver.js';
import type { Engine } from './engines.js';
import { HoldingProxy } from './holding-proxy.js';
import type { Locator } from './page-query.js';
import { ServerProcess } from './server-process.js';
import { createTempDir, type TempDir } from './temp-dir.js';

/** Where end-to-end tests leave screenshots to look at (not compared). */
export const screenshotDir = join(process.cwd(), 'test-results', 'screenshots');

/** A window: its page, and the relay its requests pass through (`proxy.url` is its origin). */
export type DemoWindow = DemoPage & { proxy: HoldingProxy };

export class EngineDemo {
  readonly #proxies: HoldingProxy[] = [];

  private constructor(
    readonly engine: Engine,
    readonly server: ServerProcess,
    readonly browser: EngineBrowser,
    private readonly dataDir: TempDir,
  ) {}

  static async start(engine: Engine): Promise<EngineDemo> {
    const dataDir = await createTempDir('im-chat-e2e-');
    await mkdir(screenshotDir, { recursive: true });
    const server = await ServerProcess.start({ dataDir: dataDir.path, demo: true });
    try {
      return new EngineDemo(engine, server, await EngineBrowser.launch(engine), dataDir);
    } catch (error) {
      // No browser (not installed, say): the server must not outlive the test run.
      await server.stop();
      await dataDir.remove();
      throw error;
    }
  }

  /** A window in a browser profile of its own: another person, or another device. */
  async newWindow(viewport: Viewport = { width: 1280, height: 800 }, options: PageOptions = {}): Promise<DemoWindow> {
    const proxy = await HoldingProxy.start(() => this.server.port);
    this.#proxies.push(proxy);
    const page = await this.browser.newPage(viewport, options);
    await page.allowClipboard(proxy.url);
    // A closed window's connections end with it, whenever the engine gets round to closing
    // its sockets: the server sees the person leave at once, as tests expect.
    const closePage = page.close.bind(page);
    page.close = async () => {
      await closePage();
      await proxy.close();
    };
    return Object.assign(page, { proxy });
  }

  /** A screenshot under the engine's name. */
  screenshot(page: DemoPage, name: string): Promise<void> {
    return page.screenshot(join(screenshotDir, `${this.engine}-${name}.png`));
  }

  async close(): Promise<void> {
    await this.browser.close();
    await Promise.all(this.#proxies.map((proxy) => proxy.close()));
    await this.server.stop();
    await this.dataDir.remove();
  }
}

/** A conversation in the list, by its exact title. */
export function conversationItem(page: DemoPage, title: string): Locator {
  return page.locator('im-chat').locator('button.item', { has: [{ css: '.name', text: title, exact: true }] });
}

/** Writes a message in the open conversation and presses Enter. */
export async function sendMessage(page: DemoPage, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}
