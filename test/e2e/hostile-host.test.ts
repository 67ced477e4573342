/**
 * The widget as a guest on pages that patched the platform before its script tag loaded:
 * tag names already taken, old polyfills, a polluted Object.prototype, blocked storage.
 * Each case opens the demo messenger (the built IIFE bundle) with the patch applied first,
 * then a person sends and receives messages through the real server; in each engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineDemo, conversationItem, sendMessage, type DemoWindow } from '../support/node/engine-demo.js';
import { selectedEngines } from '../support/node/engines.js';

/** Collects the page's uncaught errors and unhandled promise rejections in `pageErrors`. */
const recordErrors = `
  window.pageErrors = [];
  addEventListener('error', (event) => pageErrors.push(String(event.message)));
  addEventListener('unhandledrejection', (event) => pageErrors.push('unhandled: ' + String(event.reason)));
`;

/** A page that defined some of the widget's inner tag names first. */
const takeTagNames = `
  for (const name of ['im-avatar', 'im-menu', 'im-composer', 'im-message-list']) {
    customElements.define(name, class extends HTMLElement {});
  }
`;
/** As in a browser without scoped custom element registries. */
const noScopedRegistries = 'delete window.CustomElementRegistry;';

describe.each(selectedEngines())('the widget on a hostile host page, in %s', { timeout: 120_000 }, (engine) => {
  let demo: EngineDemo;
  /** Bob's window, on a page that patches nothing. */
  let bob: DemoWindow;

  beforeAll(async () => {
    demo = await EngineDemo.start(engine);
    bob = await demo.newWindow();
    await bob.goto(`${bob.proxy.url}/demo/messenger.html?user=bob`);
    await bob.locator('im-chat h2').waitFor();
  });

  afterAll(() => demo?.close());

  /** Alice's messenger on a page where `patch` (a script) ran before any of the page's scripts. */
  async function hostileMessenger(patch: string): Promise<{ page: DemoWindow; errors: () => Promise<string[]> }> {
    const page = await demo.newWindow();
    page.proxy.injectScript(recordErrors);
    page.proxy.injectScript(patch);
    await page.goto(`${page.proxy.url}/demo/messenger.html?user=alice`);
    // As text: a page whose arrays serialize themselves (toJSON) would hand back a string.
    return { page, errors: async () => (await page.evaluate<string>("pageErrors.join('\\n')")).split('\n').filter(Boolean) };
  }

  const texts = (page: DemoWindow) => page.locator('li.message .text').allTextContents();

  /** Alice (hostile page) and Bob (plain page) exchange one message each way. */
  async function talk(alice: DemoWindow, label: string): Promise<void> {
    await alice.getByRole('button', { name: 'New chat' }).click();
    await alice.getByRole('dialog').getByRole('button', { name: 'Bob' }).click();
    const hello = `Hello from a page with ${label}`;
    await sendMessage(alice, hello);
    await conversationItem(bob, 'Alice').click();
    await expect.poll(() => texts(bob), { timeout: 30_000 }).toContain(hello);
    const reply = `Bob read: ${label}`;
    await sendMessage(bob, reply);
    await expect.poll(() => texts(alice), { timeout: 30_000 }).toContain(reply);
  }

  it('works beside host elements that took its inner tag names first', async () => {
    const { page, errors } = await hostileMessenger(takeTagNames);
    await talk(page, 'its own im-avatar');
    expect(await page.locator('im-chat').getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    // The host's elements stay the host's.
    expect(await page.evaluate('customElements.get("im-avatar").name')).toBe('');
    expect(await errors()).toEqual([]);
    await page.close();
  });

  it('works beside taken tag names in a browser without scoped element registries', async () => {
    const { page, errors } = await hostileMessenger(noScopedRegistries + takeTagNames);
    await talk(page, 'taken names and no scoped registries');
    expect(await errors()).toEqual([]);
    await page.close();
  });

  it('keeps working when the page loads the bundle a second time', async () => {
    for (const scoped of [true, false]) {
      const { page, errors } = await hostileMessenger(scoped ? '' : noScopedRegistries);
      await page.locator('im-chat h2').waitFor();
      await page.evaluate(`new Promise((resolve, reject) => {
        const script = Object.assign(document.createElement('script'), { src: '/dist/im-chat.iife.js' });
        script.onload = resolve;
        script.onerror = reject;
        document.head.append(script);
      })`);
      await talk(page, `the bundle loaded twice (scoped registries: ${scoped})`);
      expect(await errors()).toEqual([]);
      await page.close();
    }
  });

  it('sends and receives with Prototype.js-style toJSON on built-in prototypes', async () => {
    const { page, errors } = await hostileMessenger(`
      // As Prototype.js 1.6 did: arrays (and strings) serialize themselves to JSON text.
      Array.prototype.toJSON = function () {
        return '[' + this.map(function (item) { return JSON.stringify(item); }).join(', ') + ']';
      };
      String.prototype.toJSON = function () { return '"' + this + '"'; };
    `);
    await talk(page, 'Array.prototype.toJSON');
    expect(await errors()).toEqual([]);
    await page.close();
  });

  it('works with enumerable non-function properties on Object.prototype', async () => {
    // Descriptor literals such as `{ get, enumerable: true }` inherit these.
    const { page, errors } = await hostileMessenger(`
      Object.prototype.get = 'polluted';
      Object.prototype.set = 1;
      Object.prototype.value = 'x';
      Object.prototype.writable = true;
      Object.prototype.extra = { deep: true };
    `);
    await talk(page, 'a polluted Object.prototype');
    expect(await errors()).toEqual([]);
    await page.close();
  });

  it('works with naive Array polyfills and without Array.prototype.flat', async () => {
    const { page, errors } = await hostileMessenger(`
      // As old sites wrote them: enumerable, array-likes only (no iterables, no map
      // function), no fromIndex, no NaN.
      Array.from = function (items) {
        var out = [];
        for (var i = 0; i < items.length; i++) out.push(items[i]);
        return out;
      };
      Array.prototype.includes = function (item) { return this.indexOf(item) !== -1; };
      Array.prototype.find = function (test) {
        for (var i = 0; i < this.length; i++) if (test(this[i])) return this[i];
      };
      Array.prototype.findIndex = function (test) {
        for (var i = 0; i < this.length; i++) if (test(this[i])) return i;
        return -1;
      };
      delete Array.prototype.flat;
      delete Array.prototype.flatMap;
    `);
    await talk(page, 'naive Array polyfills');
    expect(await errors()).toEqual([]);
    await page.close();
  });

  it('runs from memory, and says so, when the page may not use storage', async () => {
    const { page, errors } = await hostileMessenger(`
      // As in a sandboxed iframe or a privacy mode: storage access throws, no IndexedDB.
      function denied() { throw new DOMException('The user denied storage access.', 'SecurityError'); }
      Object.defineProperty(window, 'localStorage', { get: denied, configurable: true });
      Object.defineProperty(window, 'sessionStorage', { get: denied, configurable: true });
      Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    `);
    await page.locator('im-chat').getByText('not kept on this device').first().waitFor();
    await talk(page, 'blocked storage');
    expect(await errors()).toEqual([]);
    await page.close();
  });

  it('runs from memory when opening IndexedDB throws', async () => {
    const { page, errors } = await hostileMessenger(`
      IDBFactory.prototype.open = function () {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
    `);
    await page.locator('im-chat').getByText('not kept on this device').first().waitFor();
    await talk(page, 'IndexedDB open throwing');
    expect(await errors()).toEqual([]);
    await page.close();
  });
});
