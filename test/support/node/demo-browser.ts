/**
 * The demo as `npm start` runs it (the real server entry with `--demo` and the built
 * widget), with real Chromium driven by Playwright, for end-to-end tests.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.js';
import { ServerProcess } from './server-process.js';
import { createTempDir, type TempDir } from './temp-dir.js';

/** Where end-to-end tests leave screenshots to look at (not compared). */
export const screenshotDir = join(process.cwd(), 'test-results', 'screenshots');

export class DemoBrowser {
  private constructor(
    readonly server: ServerProcess,
    readonly browser: Browser,
    private readonly dataDir: TempDir,
  ) {}

  static async start(): Promise<DemoBrowser> {
    const dataDir = await createTempDir('im-chat-e2e-');
    await mkdir(screenshotDir, { recursive: true });
    const server = await ServerProcess.start({ dataDir: dataDir.path, demo: true });
    try {
      const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
      return new DemoBrowser(server, browser, dataDir);
    } catch (error) {
      // No browser (not installed, say): the server must not outlive the test run.
      await server.stop();
      await dataDir.remove();
      throw error;
    }
  }

  /** A page in a browser profile of its own: another person, or another device (`touch`: a phone's touch screen). */
  async newPage(viewport = { width: 1280, height: 800 }, options: { touch?: boolean } = {}): Promise<Page> {
    const touch = options.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 3 } : {};
    const context = await this.browser.newContext({ viewport, ...touch });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: this.server.url });
    return context.newPage();
  }

  /** The messenger signed in as a demo user, once it has rendered. */
  async messenger(userId: string, viewport?: { width: number; height: number }, options: { touch?: boolean } = {}): Promise<Page> {
    const page = await this.newPage(viewport, options);
    await page.goto(`${this.server.url}/demo/messenger.html?user=${userId}`);
    await page.locator('im-chat h2').waitFor();
    return page;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    await this.dataDir.remove();
  }
}

/** A conversation in the list, by its exact title. */
export function conversationItem(page: Page, title: string) {
  return page.locator('im-chat button.item').filter({
    has: page.locator('.name').getByText(title, { exact: true }),
  });
}

/** Writes a message in the open conversation and presses Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}
