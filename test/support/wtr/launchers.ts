/**
 * @web/test-runner launchers for the three engines: Chromium and Firefox through
 * puppeteer-core (CDP and WebDriver BiDi), WebKit through WebKitWebDriver with its own
 * X display, started and stopped with the launcher.
 */
import type { BrowserLauncher, TestRunnerCoreConfig } from '@web/test-runner-core';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import type { Browser as WebdriverBrowser } from 'webdriverio';
import {
  chromiumArgs,
  chromiumPath,
  firefoxPath,
  firefoxPrefs,
  WebKitDriverService,
  type Engine,
} from '../node/engines.js';
import { keyActions } from './webdriver-keys.js';

/** The parts of WebdriverLauncher it keeps private but a launcher of its kind needs. */
interface WebdriverInternals {
  options: { port: number };
  driver?: WebdriverBrowser;
}

export class WebKitLauncher extends WebdriverLauncher {
  #service: WebKitDriverService | null = null;

  constructor() {
    // The port is filled in once the driver runs (the options are read at the first session).
    super({ hostname: '127.0.0.1', port: 0, capabilities: WebKitDriverService.capabilities() });
  }

  get #internals(): WebdriverInternals {
    return this as unknown as WebdriverInternals;
  }

  /** The WebDriver session (one window; test files run one after another in it). */
  get webdriver(): WebdriverBrowser {
    const driver = this.#internals.driver;
    if (!driver) throw new Error('WebKit has no session yet.');
    return driver;
  }

  override async initialize(config: TestRunnerCoreConfig): Promise<void> {
    await super.initialize(config);
    this.name = 'WebKit';
    this.#service = await WebKitDriverService.start();
    this.#internals.options.port = this.#service.port;
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.#service?.stop();
    this.#service = null;
  }

  /** Each entry a key or a chord such as `Shift+F10`, pressed and released in turn. */
  override async sendKeys(_sessionId: string, keys: string[]): Promise<void> {
    await this.webdriver.performActions(keyActions(keys.map((key) => (key.length > 1 ? key.split('+') : [key]))));
  }
}

const engines = new WeakMap<BrowserLauncher, Engine>();

/** Which engine a launcher runs, for commands that work differently per engine. */
export function engineOf(browser: BrowserLauncher): Engine {
  const engine = engines.get(browser);
  if (!engine) throw new Error(`Not one of the test launchers: ${browser.name}`);
  return engine;
}

function create(engine: Engine): BrowserLauncher {
  switch (engine) {
    case 'chromium':
      // headless: false, because the flags ask for the new headless mode themselves.
      return chromeLauncher({ launchOptions: { executablePath: chromiumPath, headless: false, args: chromiumArgs } });
    case 'firefox':
      return chromeLauncher({
        puppeteer: puppeteerCore as never,
        launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true, extraPrefsFirefox: firefoxPrefs },
      });
    case 'webkit':
      return new WebKitLauncher();
  }
}

export function launcher(engine: Engine): BrowserLauncher {
  const browser = create(engine);
  engines.set(browser, engine);
  return browser;
}
