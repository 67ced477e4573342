/**
 * Server commands for input the stock commands cannot give every engine: key chords
 * (`Shift+F10`), the mouse moved to a point, the viewport size and a screenshot of it,
 * through puppeteer (Chromium, Firefox) or WebDriver (WebKit); and the engine's name, for
 * tests that assert an engine's own (degraded) behaviour. See test/support/browser/input.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRunnerPlugin } from '@web/test-runner-core';
import type { ChromeLauncher } from '@web/test-runner-chrome';
import { engineOf, WebKitLauncher } from './launchers.js';

export interface Viewport {
  width: number;
  height: number;
}

export function inputPlugin(): TestRunnerPlugin {
  return {
    name: 'im-input',
    async executeCommand({ command, payload, session }) {
      switch (command) {
        case 'im-engine':
          return engineOf(session.browser);
        case 'im-keys': {
          const { chord } = payload as { chord: string };
          const keys = chord.split('+');
          if (session.browser instanceof WebKitLauncher) {
            await session.browser.sendKeys(session.id, [chord]);
            return true;
          }
          const { keyboard } = (session.browser as ChromeLauncher).getPage(session.id);
          for (const key of keys.slice(0, -1)) await keyboard.down(key as never);
          await keyboard.press(keys.at(-1) as never);
          for (const key of keys.slice(0, -1).reverse()) await keyboard.up(key as never);
          return true;
        }
        case 'im-mouse-move': {
          // Viewport coordinates (CSS pixels), as getBoundingClientRect gives them.
          const x = Math.round((payload as { x: number }).x);
          const y = Math.round((payload as { y: number }).y);
          if (session.browser instanceof WebKitLauncher) {
            await session.browser.webdriver.performActions([
              {
                type: 'pointer',
                id: 'mouse',
                parameters: { pointerType: 'mouse' },
                actions: [{ type: 'pointerMove', origin: 'viewport', x, y, duration: 0 }],
              },
            ]);
            return true;
          }
          await (session.browser as ChromeLauncher).getPage(session.id).mouse.move(x, y);
          return true;
        }
        case 'im-viewport': {
          const { width, height } = payload as Viewport;
          if (session.browser instanceof WebKitLauncher) {
            // WebDriver sizes the window; the page gets what its frame leaves over.
            const driver = session.browser.webdriver;
            await driver.setWindowSize(width, height);
            const inner = (await driver.execute('return [innerWidth, innerHeight]')) as unknown as [number, number];
            const [innerWidth, innerHeight] = inner;
            await driver.setWindowSize(2 * width - innerWidth, 2 * height - innerHeight);
            return true;
          }
          await (session.browser as ChromeLauncher).getPage(session.id).setViewport({ width, height });
          return true;
        }
        case 'im-screenshot': {
          // The viewport as the engine paints it, as a base64 PNG; also written to
          // IM_SCREENSHOT_DIR (outside the repository) when set, for a person to look at.
          const { name } = payload as { name: string };
          const png =
            session.browser instanceof WebKitLauncher
              ? await session.browser.webdriver.takeScreenshot()
              : ((await (session.browser as ChromeLauncher).getPage(session.id).screenshot({ encoding: 'base64' })) as string);
          const folder = process.env.IM_SCREENSHOT_DIR;
          if (folder) {
            await mkdir(folder, { recursive: true });
            const file = `${engineOf(session.browser)}-${name.replace(/[^\w.-]+/g, '-')}.png`;
            await writeFile(join(folder, file), Buffer.from(png, 'base64'));
          }
          return png;
        }
        default:
          return undefined;
      }
    },
  };
}
