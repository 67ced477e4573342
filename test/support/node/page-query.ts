/**
 * Finding elements through shadow roots the same way in every engine: the search runs in
 * the page (one script, sent by whichever driver runs the engine), so a test reads like
 * Playwright's locators: by CSS selector, by role and accessible name, by text.
 */
import type { DemoPage } from './demo-driver.js';

/** One step of a search, within the elements the step before found (or the document). */
export interface Step {
  css?: string;
  role?: string;
  /** Accessible name (aria-label, its labelling element, or the text): contained, or equal with `exact`. */
  name?: string;
  /** Text content, shadow roots included: contained, or equal with `exact`. */
  text?: string;
  exact?: boolean;
  /** Keeps only elements with a descendant found by these steps. */
  has?: Step[];
  pick?: 'first' | 'last';
}

/**
 * Runs in the page, sent as source text (plain script, so that every engine runs it as it
 * is): the elements `steps` find, searching shadow roots as well as the document.
 */
const searchSource = String.raw`function search(steps, start = [document]) {
  const below = (root) => {
    const found = [];
    const walk = (node) => {
      for (const child of Array.from(node.children)) {
        found.push(child);
        if (child.shadowRoot) walk(child.shadowRoot);
        walk(child);
      }
    };
    if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
    walk(root);
    return found;
  };
  const deepText = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    if (node instanceof HTMLStyleElement || node instanceof HTMLScriptElement) return '';
    const shadow = node instanceof Element && node.shadowRoot ? deepText(node.shadowRoot) : '';
    return shadow + Array.from(node.childNodes).map(deepText).join('');
  };
  const implicitRoles = {
    BUTTON: 'button', DIALOG: 'dialog', TEXTAREA: 'textbox', INPUT: 'textbox', IMG: 'img',
    H1: 'heading', H2: 'heading', H3: 'heading', H4: 'heading', H5: 'heading', H6: 'heading',
  };
  const roleOf = (el) =>
    el.getAttribute('role') ?? (el.tagName === 'A' && el.hasAttribute('href') ? 'link' : implicitRoles[el.tagName]);
  const nameOf = (el) => {
    const label = el.getAttribute('aria-label');
    if (label) return label;
    const by = el.getAttribute('aria-labelledby');
    const root = el.getRootNode();
    if (by) return by.split(/\s+/).map((id) => { const ref = root.getElementById(id); return ref ? deepText(ref) : ''; }).join(' ');
    if (el.labels && el.labels.length) return Array.from(el.labels).map(deepText).join(' ').trim();
    if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return el.getAttribute('placeholder') || el.getAttribute('title') || '';
    return deepText(el).replace(/\s+/g, ' ').trim() || el.getAttribute('title') || '';
  };
  const visible = (el) => el.getClientRects().length > 0 && !el.closest('[aria-hidden="true"], [inert]');
  const fits = (actual, wanted, exact) =>
    exact ? actual.replace(/\s+/g, ' ').trim() === wanted : actual.toLowerCase().includes(wanted.toLowerCase());
  let scope = start;
  for (const step of steps) {
    const seen = new Set();
    // No flatMap: a host page may have deleted it (as old polyfills' pages do).
    const candidates = [];
    for (const root of scope) candidates.push(...below(root));
    let matches = candidates.filter((el) => {
      if (seen.has(el)) return false;
      seen.add(el);
      if (step.css && !el.matches(step.css)) return false;
      if (step.role && (roleOf(el) !== step.role || !visible(el))) return false;
      if (step.name !== undefined && !fits(nameOf(el), step.name, step.exact)) return false;
      if (step.text !== undefined && !fits(deepText(el), step.text, step.exact)) return false;
      if (step.has && search(step.has, [el]).length === 0) return false;
      return true;
    });
    if (step.pick === 'first') matches = matches.slice(0, 1);
    if (step.pick === 'last') matches = matches.slice(-1);
    scope = matches;
  }
  return scope;
}`;


/**
 * The middle of the first shown, enabled element (scrolled into view), and whether a click
 * there reaches it: the topmost element at that point, looked up through shadow roots, is
 * the element or inside it.
 */
const clickTarget = `(els) => {
  const el = els.find((e) => e.getClientRects().length > 0 && !e.disabled && e.getAttribute('aria-disabled') !== 'true');
  if (!el) return null;
  el.scrollIntoView({ block: 'center' });
  const r = el.getBoundingClientRect();
  const x = r.x + r.width / 2;
  const y = r.y + r.height / 2;
  let top = document.elementFromPoint(x, y);
  while (top?.shadowRoot) {
    const inner = top.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === top) break;
    top = inner;
  }
  let hit = false;
  for (let node = top; node; node = node.parentNode ?? node.host) {
    if (node === el) { hit = true; break; }
  }
  return { x, y, hit };
}`;

/** A script that finds `steps` and hands the elements to `use` (its source: `(elements) => …`). */
function withElements(steps: Step[], use: string): string {
  return `(${use})((${searchSource})(${JSON.stringify(steps)}))`;
}

/** A page that is navigating has no document to search yet: the wait goes on (any other error ends it). */
function duringNavigation(error: unknown): false {
  if (error instanceof Error && /context was destroyed|navigat/i.test(error.message)) return false;
  throw error;
}

const pollMs = 100;
const waitMs = 30_000;

/** What a set of steps finds in one page, found anew at each use (as Playwright's locators are). */
export class Locator {
  constructor(
    readonly page: DemoPage,
    readonly steps: Step[],
  ) {}

  /** Each part of a descendant selector is its own step, so that `im-chat h2` finds the h2 in im-chat's shadow root. */
  locator(css: string, more: Omit<Step, 'css'> = {}): Locator {
    const parts = css.trim().split(/\s+(?![^[]*\])/);
    const steps = parts.map((part, i): Step => (i === parts.length - 1 ? { css: part, ...more } : { css: part }));
    return new Locator(this.page, [...this.steps, ...steps]);
  }

  getByRole(role: string, options: { name?: string; exact?: boolean } = {}): Locator {
    return new Locator(this.page, [...this.steps, { role, ...options }]);
  }

  getByText(text: string, options: { exact?: boolean } = {}): Locator {
    return new Locator(this.page, [...this.steps, { text, ...options }]);
  }

  /** A form field by its label (or, as Playwright also allows, its aria-label). */
  getByLabel(label: string, options: { exact?: boolean } = {}): Locator {
    return new Locator(this.page, [...this.steps, { css: 'input, textarea, select', name: label, ...options }]);
  }

  filter(filter: { hasText?: string; has?: Locator }): Locator {
    const last = this.steps.at(-1) ?? {};
    const narrowed: Step = { ...last };
    if (filter.hasText !== undefined) narrowed.text = filter.hasText;
    if (filter.has) narrowed.has = filter.has.steps;
    return new Locator(this.page, [...this.steps.slice(0, -1), narrowed]);
  }

  first(): Locator {
    return this.#pick('first');
  }

  last(): Locator {
    return this.#pick('last');
  }

  /** The result of `use` (the source of a function of the found elements) in the page. */
  evaluateAll<T>(use: string): Promise<T> {
    return this.page.evaluate<T>(withElements(this.steps, use));
  }

  count(): Promise<number> {
    return this.evaluateAll<number>('(els) => els.length');
  }

  async textContent(): Promise<string | null> {
    await this.waitFor();
    return this.evaluateAll<string | null>('(els) => els[0].textContent');
  }

  async getAttribute(name: string): Promise<string | null> {
    await this.waitFor();
    return this.evaluateAll<string | null>(`(els) => els[0].getAttribute(${JSON.stringify(name)})`);
  }

  /** The first shown element's box in the page area (CSS pixels), or null if none is shown. */
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null> {
    return this.evaluateAll(
      `(els) => { const el = els.find((e) => e.getClientRects().length > 0); if (!el) return null;
        const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }`,
    );
  }

  allTextContents(): Promise<string[]> {
    return this.evaluateAll<string[]>('(els) => els.map((el) => el.textContent ?? "")');
  }

  /** Waits until an element is there and shown (`visible`), not shown (`hidden`) or not there (`detached`). */
  waitFor({ state = 'visible' }: { state?: 'visible' | 'hidden' | 'detached' } = {}): Promise<void> {
    const test = {
      visible: '(els) => els.some((el) => el.getClientRects().length > 0)',
      hidden: '(els) => !els.some((el) => el.getClientRects().length > 0)',
      detached: '(els) => els.length === 0',
    }[state];
    return this.#waitUntil(test, state);
  }

  async #waitUntil(test: string, what: string): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (!(await this.evaluateAll<boolean>(test).catch(duringNavigation))) {
      if (Date.now() > deadline) {
        throw new Error(`No element became ${what} for ${JSON.stringify(this.steps)}. ${await this.#explain()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** How far the steps got: what each prefix of them finds, and the text of the last one that found anything. */
  async #explain(): Promise<string> {
    const found: string[] = [];
    for (let i = 1; i <= this.steps.length; i++) {
      const prefix = new Locator(this.page, this.steps.slice(0, i));
      const { all, shown, text } = await prefix
        .evaluateAll<{ all: number; shown: number; text: string }>(
          `(els) => ({ all: els.length, shown: els.filter((el) => el.getClientRects().length > 0).length,
             text: (els[0]?.innerText ?? els[0]?.textContent ?? '').replace(/\\s+/g, ' ').slice(0, 300) })`,
        )
        .catch((error: unknown) => ({ all: -1, shown: -1, text: String(error) }));
      found.push(`step ${i}: ${all} found, ${shown} shown${all > 0 ? ` ("${text}")` : ''}`);
      if (all <= 0) break;
    }
    return found.join('; ');
  }

  /**
   * A real pointer click (or right click) at the middle of the first element found. As a
   * person would, and as Playwright does: only once it is shown, enabled, no longer moving
   * (the same box twice in a row, e.g. after a banner above it came or went) and the point
   * reaches it (nothing drawn over it).
   */
  async click(options: { button?: 'left' | 'right' } = {}): Promise<void> {
    let last = '';
    const deadline = Date.now() + waitMs;
    for (;;) {
      const target = await this.evaluateAll<{ x: number; y: number; hit: boolean } | null>(clickTarget).catch(
        (error: unknown) => duringNavigation(error) || null,
      );
      const key = target ? `${target.x},${target.y}` : '';
      if (target?.hit && key === last) {
        await this.page.clickAt(target.x, target.y, options.button ?? 'left');
        return;
      }
      last = key;
      if (Date.now() > deadline) {
        throw new Error(
          `No element became visible, enabled, still and reachable for ${JSON.stringify(this.steps)}. ${await this.#explain()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Focuses a text field and replaces its value, as typing then pasting would (one `input` event). */
  async fill(text: string): Promise<void> {
    await this.click();
    await this.evaluateAll(
      `(els) => { const el = els[0]; el.focus(); el.value = ${JSON.stringify(text)};
        el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true })); }`,
    );
  }

  /** Presses a key with the first element found focused. */
  async press(key: string): Promise<void> {
    await this.evaluateAll('(els) => els[0].focus()');
    await this.page.press(key);
  }

  #pick(pick: 'first' | 'last'): Locator {
    return new Locator(this.page, [...this.steps.slice(0, -1), { ...this.steps.at(-1), pick }]);
  }
}
