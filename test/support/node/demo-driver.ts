/**
 * One small page interface over the drivers that reach each engine: puppeteer-core for
 * Chromium (CDP) and Firefox (WebDriver BiDi), webdriverio for WebKit (WebKitWebDriver and
 * the MiniBrowser under Xvfb). Each page is a browser profile of its own: another person
 * or another device.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { remote, type Browser as WebdriverBrowser } from 'webdriverio';
import { keyActions } from '../wtr/webdriver-keys.js';
import { chromiumArgs, chromiumPath, firefoxPath, firefoxPrefs, WebKitDriverService, type Engine } from './engines.js';
import { Locator } from './page-query.js';

export interface Viewport {
  width: number;
  height: number;
}

export abstract class DemoPage {
  abstract readonly engine: Engine;
  abstract goto(url: string): Promise<void>;
  abstract reload(): Promise<void>;
  abstract url(): Promise<string>;
  /** The value of a script expression in the page (awaited when it is a promise). */
  abstract evaluate<T>(expression: string): Promise<T>;
  abstract clickAt(x: number, y: number, button: 'left' | 'right'): Promise<void>;
  /**
   * Makes the page area (the layout viewport: `innerWidth` × `innerHeight`) this size, as
   * a phone's screen or a window being resized would; resolves, once the page sees it,
   * to the size the page got. That is the size asked for, except in WebKit below its
   * MiniBrowser's narrowest window (its toolbar keeps the page area some 447 px wide):
   * there the page gets that width, and tests of small screens read the size they got.
   */
  abstract setViewport(viewport: Viewport): Promise<Viewport>;
  /**
   * Whether the engine's driver can put a finger on the page (pointer events of type
   * "touch"): Chromium over CDP, Firefox over WebDriver BiDi's input actions. WebKitGTK's
   * WebDriver turns touch actions into mouse events, so there it is false.
   */
  abstract readonly touch: boolean;
  /** A finger put down at a point, moved, lifted (where `touch` is true). */
  abstract touchDown(x: number, y: number): Promise<void>;
  abstract touchMove(x: number, y: number): Promise<void>;
  abstract touchUp(): Promise<void>;
  /** Presses and releases a key (a DOM `KeyboardEvent.key` name) where the focus is. */
  abstract press(key: string): Promise<void>;
  abstract screenshot(path: string): Promise<void>;
  /**
   * Sends a Chromium DevTools protocol command to the page (for emulation only Chromium
   * has, such as safe-area insets); false, sending nothing, in the other engines.
   */
  abstract cdp(method: string, params: object): Promise<boolean>;
  /** Lets pages of `origin` read and write the clipboard without a prompt, where the driver can say so. */
  abstract allowClipboard(origin: string): Promise<void>;
  /**
   * Calls `listener` with each console message; false where the engine's driver does not
   * report them (WebKit's WebDriver has no console log).
   */
  abstract onConsole(listener: (text: string) => void): boolean;
  abstract close(): Promise<void>;

  locator(css: string): Locator {
    return new Locator(this, []).locator(css);
  }

  getByRole(role: string, options: { name?: string; exact?: boolean } = {}): Locator {
    return new Locator(this, []).getByRole(role, options);
  }

  getByText(text: string, options: { exact?: boolean } = {}): Locator {
    return new Locator(this, []).getByText(text, options);
  }
}

class PuppeteerPage extends DemoPage {
  readonly touch = true;

  constructor(
    readonly engine: Engine,
    private readonly page: Page,
    /** A phone's touch screen: in Chromium, its touch emulation (and a phone's pixel density). */
    private readonly phone = false,
  ) {
    super();
  }

  async goto(url: string) {
    await this.page.goto(url);
  }

  async reload() {
    await this.page.reload();
  }

  async url() {
    return this.page.url();
  }

  evaluate<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }

  async clickAt(x: number, y: number, button: 'left' | 'right') {
    await this.page.mouse.click(x, y, { button });
  }

  async setViewport(viewport: Viewport) {
    const phone = this.phone && this.engine === 'chromium' ? { hasTouch: true, isMobile: true, deviceScaleFactor: 3 } : {};
    await this.page.setViewport({ ...viewport, ...phone });
    return viewport;
  }

  async touchDown(x: number, y: number) {
    await this.page.touchscreen.touchStart(x, y);
  }

  async touchMove(x: number, y: number) {
    await this.page.touchscreen.touchMove(x, y);
  }

  async touchUp() {
    await this.page.touchscreen.touchEnd();
  }

  /** Chromium's DevTools protocol, for what only it can emulate (false in Firefox). */
  async cdp(method: string, params: object): Promise<boolean> {
    if (this.engine !== 'chromium') return false;
    const session = await this.page.createCDPSession();
    await session.send(method as never, params as never);
    return true;
  }

  async press(key: string) {
    await this.page.keyboard.press(key as never);
  }

  async screenshot(path: string) {
    await this.page.screenshot({ path: path as `${string}.png` });
  }

  async allowClipboard(origin: string) {
    // Firefox has no such permission over BiDi: its profile's preferences allow the clipboard.
    if (this.engine !== 'chromium') return;
    await this.page.browserContext().overridePermissions(origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  }

  onConsole(listener: (text: string) => void): boolean {
    this.page.on('console', (message) => listener(message.text()));
    return true;
  }

  async close() {
    await this.page.browserContext().close();
  }
}

class WebdriverPage extends DemoPage {
  readonly engine = 'webkit';
  readonly touch = false;

  constructor(private readonly driver: WebdriverBrowser) {
    super();
  }

  async goto(url: string) {
    await this.driver.url(url);
  }

  async reload() {
    await this.driver.refresh();
  }

  url() {
    return this.driver.getUrl();
  }

  /**
   * Returned as JSON text: the driver's own serialization walks inherited properties too,
   * which a page that added enumerable ones to Object.prototype makes endless.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const text = await this.driver.execute(
      `return Promise.resolve(${expression}).then((value) => (value === undefined ? null : JSON.stringify(value)));`,
    );
    return (text === null ? undefined : JSON.parse(text as unknown as string)) as T;
  }

  async clickAt(x: number, y: number, button: 'left' | 'right') {
    const code = button === 'left' ? 0 : 2;
    await this.driver.performActions([
      {
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', origin: 'viewport', x: Math.round(x), y: Math.round(y), duration: 0 },
          { type: 'pointerDown', button: code },
          { type: 'pointerUp', button: code },
        ],
      },
    ]);
    await this.driver.releaseActions();
  }

  /**
   * WebDriver sizes the outer window, toolbars and all: the difference between the outer
   * and the inner size is the browser's own part, added to the size asked for. Checked
   * afterwards, as the window may not get that small: the MiniBrowser's toolbar sets a
   * narrowest width, which the page then gets (any other difference is an error).
   */
  async setViewport({ width, height }: Viewport) {
    const inner = () => this.evaluate<Viewport>('({ width: innerWidth, height: innerHeight })');
    const chrome = await this.evaluate<Viewport>('({ width: outerWidth - innerWidth, height: outerHeight - innerHeight })');
    await this.driver.setWindowSize(width + chrome.width, height + chrome.height);
    const fits = (seen: Viewport) => seen.height === height && seen.width === width;
    let seen = await inner();
    for (let attempt = 0; attempt < 30 && !fits(seen); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await inner();
    }
    const narrowest = seen.height === height && seen.width > width && (await this.driver.getWindowSize()).width > width + chrome.width;
    if (!fits(seen) && !narrowest) {
      throw new Error(`WebKit's page area is ${seen.width}×${seen.height}, not the ${width}×${height} asked for.`);
    }
    return seen;
  }

  async press(key: string) {
    await this.driver.performActions(keyActions([[key]]));
  }

  async touchDown(): Promise<void> {
    throw new Error('WebKit’s WebDriver has no touch input here (touch actions arrive as a mouse).');
  }

  touchMove = this.touchDown;
  touchUp = this.touchDown;

  async cdp() {
    return false;
  }

  async screenshot(path: string) {
    await this.driver.saveScreenshot(path);
  }

  /** WebKit's WebDriver has no permission command: the MiniBrowser decides on its own. */
  async allowClipboard() {}

  onConsole(): boolean {
    return false;
  }

  async close() {
    await this.driver.deleteSession();
  }
}

/** An engine's browser, from which each `newPage` is a fresh profile. */
export interface PageOptions {
  /** A phone's touch screen, where the engine's driver can emulate one (see `DemoPage.touch`). */
  touch?: boolean;
}

export abstract class EngineBrowser {
  abstract newPage(viewport: Viewport, options?: PageOptions): Promise<DemoPage>;
  abstract close(): Promise<void>;

  static async launch(engine: Engine): Promise<EngineBrowser> {
    if (engine === 'webkit') return new WebKitBrowser();
    const browser =
      engine === 'chromium'
        ? // headless: false, because the flags ask for the new headless mode themselves.
          await puppeteer.launch({ executablePath: chromiumPath, headless: false, args: chromiumArgs })
        : await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath, headless: true, extraPrefsFirefox: firefoxPrefs });
    return new PuppeteerBrowser(engine, browser);
  }
}

class PuppeteerBrowser extends EngineBrowser {
  constructor(
    private readonly engine: Engine,
    private readonly browser: Browser,
  ) {
    super();
  }

  async newPage(viewport: Viewport, options: PageOptions = {}): Promise<DemoPage> {
    const context = await this.browser.createBrowserContext();
    // A window of its own: as tabs of one window (Firefox's default) all but one would be
    // hidden, and a hidden page rightly counts nothing as read.
    const page = await context.newPage({ type: 'window' });
    const demoPage = new PuppeteerPage(this.engine, page, options.touch);
    await demoPage.setViewport(viewport);
    return demoPage;
  }

  async close() {
    await this.browser.close();
  }
}

class WebKitBrowser extends EngineBrowser {
  readonly #pages = new Set<DemoPage>();

  /**
   * A WebDriver session: a MiniBrowser of its own, with a profile that ends with it. Each
   * has a WebKitWebDriver of its own, which runs one session at a time.
   */
  async newPage(viewport: Viewport): Promise<DemoPage> {
    const service = await WebKitDriverService.start();
    try {
      const driver = await remote({
        hostname: '127.0.0.1',
        port: service.port,
        capabilities: WebKitDriverService.capabilities() as WebdriverIO.Capabilities,
        logLevel: 'error',
      });
      const page = new WebdriverPage(driver);
      await page.setViewport(viewport);
      const close = page.close.bind(page);
      page.close = async () => {
        this.#pages.delete(page);
        await close().finally(() => service.stop());
      };
      this.#pages.add(page);
      return page;
    } catch (error) {
      await service.stop();
      throw error;
    }
  }

  override async close() {
    await Promise.allSettled([...this.#pages].map((page) => page.close()));
  }
}
