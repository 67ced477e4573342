/**
 * The one-line embedding of im-chat's support bubble:
 *
 *   <script async src="https://chat.example.com/dist/im-chat-loader.js"
 *           data-server="https://chat.example.com" data-mode="support"></script>
 *
 * It shows the launcher at once (drawn here, a few hundred bytes) and loads the full
 * widget from next to itself on the visitor's first interaction, or when the browser is
 * idle. `window.imChat` takes calls meanwhile (`imChat.open()`, `imChat.setContext(…)`)
 * and passes them on once the widget is there. A page may hide the launcher
 * (`data-no-launcher`) and open the panel from its own button (`data-im-chat-open`). It adds no styles to the page: the
 * launcher lives in a shadow root, styled through constructed style sheets, so a strict
 * Content Security Policy holds. Several loaders (or `<im-chat>` elements) on one page
 * each get their own instance, named by `data-name`.
 */

import { chatIconPath } from '../ui/chat-icon.js';
import { instanceName, readSupportOpen } from '../ui/support-session/open-state.js';

declare global {
  interface Window {
    /** The support loader's API (`im-chat/loader`); before it runs, a queue `{ q: [method, …args][] }`. */
    imChat?: ImChatApi;
  }
}

export type Method = 'open' | 'close' | 'toggle' | 'setUser' | 'setContext' | 'logout';
const methods: Method[] = ['open', 'close', 'toggle', 'setUser', 'setContext', 'logout'];

type Widget = HTMLElement & Record<Method, (...args: unknown[]) => unknown>;

interface Instance {
  /** Calls made before the widget arrived, in order. */
  queue: [Method, unknown[]][];
  element: HTMLElement;
  ready: boolean;
  unread: number;
  /**
   * Resolves once no press on the stand-in launcher is under way: a press that began on it
   * ends on it, so that its click is not lost when the widget arrives in between.
   */
  released: () => Promise<void>;
}

/** `window.imChat`, once the loader has run. */
export interface ImChatApi extends Record<Method, (...args: unknown[]) => void> {
  /** Listens to the widget's events (`im-open`, `im-message`, `im-unread-change`…). */
  on(type: string, listener: EventListener): void;
  off(type: string, listener: EventListener): void;
  /** Whether the panel is open. */
  isOpen(): boolean;
  /** The visitor's unread answers, as last told by `im-unread-change` (0 until the widget is there). */
  unreadCount(): number;
  /** The widget's language (`en`, `zh-CN`…), as its `lang` attribute. */
  setLocale(lang: string): void;
  hideLauncher(): void;
  showLauncher(): void;
  /** The API of the instance with this `data-name`. */
  get(name: string): ImChatApi;
}

// The attributes a loader's `data-*` passes on to its element.
const passedOn = ['server', 'mode', 'position', 'context', 'lang', 'theme', 'token', 'prechat-name', 'prechat-email', 'sound', 'push-sw', 'no-launcher'];

const launcherCss = `
:host{all:initial}
button{position:fixed;z-index:var(--im-z-index,2147483000);bottom:var(--im-launcher-offset-y,20px);right:var(--im-launcher-offset-x,20px);
display:grid;place-items:center;width:56px;height:56px;padding:0;border:0;border-radius:50%;cursor:pointer;
background:var(--im-color-accent,#2563eb);color:var(--im-color-on-accent,#fff);box-shadow:0 6px 20px rgb(0 0 0/.22)}
:host([data-position=left]) button{right:auto;left:var(--im-launcher-offset-x,20px)}
button:focus-visible{outline:2px solid var(--im-color-focus,#2563eb);outline-offset:2px}
svg{width:28px;height:28px;fill:currentColor}`;

const script = document.currentScript as HTMLScriptElement | null;
const widgetUrl = new URL('im-chat.iife.js', script?.src ?? location.href).href;
// Shared by every copy of the loader on the page, under a key no page uses by accident.
const registry = Symbol.for('im-chat.loader');
const shared = ((window as unknown as Record<symbol, { instances: Map<string, Instance>; buttons?: boolean }>)[registry] ??= {
  instances: new Map(),
});
const { instances } = shared;
let loading: Promise<void> | null = null;

/** Loads the full widget once per page, whichever instance asks first. */
function loadWidget(): Promise<void> {
  loading ??= new Promise<void>((resolve, reject) => {
    if (customElements.get('im-chat') || document.querySelector(`script[src="${widgetUrl}"]`)) {
      resolve();
      return;
    }
    const tag = document.createElement('script');
    tag.src = widgetUrl;
    tag.async = true;
    tag.onload = () => resolve();
    tag.onerror = () => reject(new Error(`im-chat: could not load ${widgetUrl}`));
    document.head.append(tag);
  }).then(() => customElements.whenDefined('im-chat').then(() => undefined));
  return loading;
}

/** The launcher drawn until the widget replaces it: inside the element, so that it inherits its `--im-*`. */
function drawLauncher(instance: Instance, label: string): void {
  const holder = document.createElement('div');
  // The widget shows it in its shadow root, above its own launcher, until this removes it.
  holder.slot = 'launcher';
  holder.hidden = instance.element.hasAttribute('no-launcher');
  const position = instance.element.getAttribute('position');
  if (position) holder.dataset['position'] = position;
  const root = holder.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(launcherCss);
  root.adoptedStyleSheets = [sheet];
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', label);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', chatIconPath);
  svg.append(path);
  button.append(svg);
  // The visitor reached for it: load now; a click opens the panel once loaded.
  const warm = () => void start(instance);
  button.addEventListener('pointerenter', warm, { once: true });
  button.addEventListener('focus', warm, { once: true });
  button.addEventListener('click', () => {
    instance.queue.push(['open', []]);
    void start(instance);
  });
  // A press (pointer, or Space, whose click comes on its release) under way holds the
  // stand-in until its click has come: on a slow device the widget can arrive mid-press.
  // The press ends wherever it is released, on the stand-in or not.
  let release: Promise<void> | null = null;
  const press = () => {
    release ??= new Promise((resolve) => {
      const ends = ['pointerup', 'pointercancel', 'keyup'];
      const end = () => {
        for (const type of ends) removeEventListener(type, end, true);
        removeEventListener('blur', end);
        // After the release's own task, which dispatches the click.
        setTimeout(() => ((release = null), resolve()));
      };
      for (const type of ends) addEventListener(type, end, true);
      addEventListener('blur', end); // the window's own: the visitor left the page mid-press
    });
  };
  button.addEventListener('pointerdown', press);
  button.addEventListener('keydown', (event) => event.key === ' ' && press());
  instance.released = () => release ?? Promise.resolve();
  root.append(button);
  instance.element.append(holder);
}

async function start(instance: Instance): Promise<void> {
  try {
    await loadWidget();
  } catch (error) {
    console.error(error);
    return;
  }
  const element = instance.element as Widget;
  // The widget draws its own launcher in its shadow root, once its support part has loaded
  // (`updateComplete` waits for it): only then does the stand-in go.
  try {
    await (element as Widget & { updateComplete?: Promise<unknown> }).updateComplete;
  } catch (error) {
    console.error(error);
    return;
  }
  await instance.released();
  const standIn = standInOf(element);
  // A keyboard user on the stand-in goes on from the widget's own launcher.
  const focused = !!standIn?.shadowRoot?.activeElement;
  standIn?.remove();
  instance.ready = true;
  if (focused) element.focus();
  for (const [method, args] of instance.queue.splice(0)) element[method](...args);
}

const standInOf = (element: HTMLElement) => element.querySelector<HTMLElement>(':scope > [slot="launcher"]');

function api(name: string): ImChatApi {
  const call =
    (method: Method) =>
    (...args: unknown[]) => {
      const instance = instances.get(name);
      if (!instance) return console.warn(`im-chat: no instance named "${name}"`);
      if (instance.ready) (instance.element as Widget)[method](...args);
      else {
        instance.queue.push([method, args]);
        if (method !== 'setContext') void start(instance);
      }
    };
  const calls = Object.fromEntries(methods.map((method) => [method, call(method)])) as Record<Method, () => void>;
  // These act on the element itself, which is there before the widget is.
  const element = () => instances.get(name)?.element;
  const launcher = (hidden: boolean) => {
    const target = element();
    if (!target) return;
    target.toggleAttribute('no-launcher', hidden);
    const standIn = standInOf(target);
    if (standIn) standIn.hidden = hidden;
  };
  return {
    ...calls,
    on: (type, listener) => element()?.addEventListener(type, listener),
    off: (type, listener) => element()?.removeEventListener(type, listener),
    isOpen: () => !!element()?.hasAttribute('open'),
    unreadCount: () => instances.get(name)?.unread ?? 0,
    setLocale: (lang) => element()?.setAttribute('lang', lang),
    hideLauncher: () => launcher(true),
    showLauncher: () => launcher(false),
    get: api,
  };
}

/** The page's own buttons: `data-im-chat-open` (its value names the instance) opens the panel. */
function listenToButtons(): void {
  if (shared.buttons) return;
  shared.buttons = true;
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.('[data-im-chat-open]');
    if (button) api(button.getAttribute('data-im-chat-open') || 'default').open();
  });
}

function mount(): void {
  const data = script?.dataset ?? {};
  const name = data['name'] ?? 'default';
  if (instances.has(name)) return; // the same instance twice: one launcher
  let element = document.querySelector<HTMLElement>(`im-chat[data-name="${name}"]`);
  if (!element) {
    element = document.createElement('im-chat');
    element.dataset['name'] = name;
    element.setAttribute('mode', 'support');
    for (const attribute of passedOn) {
      const value = script?.getAttribute(`data-${attribute}`);
      if (value !== null && value !== undefined) element.setAttribute(attribute, value);
    }
    document.body.append(element);
  }
  const instance: Instance = { queue: [], element, ready: false, unread: 0, released: () => Promise.resolve() };
  instances.set(name, instance);
  element.addEventListener('im-unread-change', (event) => {
    instance.unread = (event as CustomEvent<{ unread: number }>).detail.unread;
  });
  if (element.getAttribute('mode') === 'support') drawLauncher(instance, data['label'] ?? 'Open chat');
  listenToButtons();

  // Calls queued by a stub the page defined before this script arrived (see docs/support.md).
  const stub = window.imChat as { q?: [string, unknown[]][] } | undefined;
  const global = api('default');
  window.imChat = global;
  for (const [method, args] of stub?.q ?? []) {
    const call = (global as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>)[method];
    if (typeof call === 'function' && method !== 'get') call(...args);
    else console.warn(`im-chat: imChat has no method "${method}"`);
  }

  // A panel left open on the previous page opens again at once; else the widget comes
  // when the browser has nothing better to do.
  if (wasOpen(element) || element.getAttribute('mode') !== 'support') void start(instance);
  else if ('requestIdleCallback' in window) requestIdleCallback(() => void start(instance), { timeout: 5000 });
  else setTimeout(() => void start(instance), 2000);
}

function wasOpen(element: HTMLElement): boolean {
  const server = element.getAttribute('server');
  return !!server && readSupportOpen(server, instanceName(element));
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
