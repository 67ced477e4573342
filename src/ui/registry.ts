/**
 * Where the widget's custom elements are defined, so that a host page keeps its own tag names.
 *
 * `<im-chat>` is the one element a page places itself; it goes into the page's registry
 * under its name, unless that name is already taken (a second copy of the bundle, say: the
 * first copy then serves the page). The inner elements (`<im-avatar>`, `<im-menu>`, …) go
 * into a scoped registry of their own that every one of our shadow roots uses, where the
 * browser has scoped registries. Elsewhere they go into the page's registry under their
 * name when it is free, or under the first free `<name>-<n>`; templates written with
 * {@link html} and selectors built with {@link tag} follow the rename.
 *
 * Parts that the first screen does not show are defined on demand ({@link onDemand}): their
 * module loads the first time they are about to render ({@link defined}), and no template
 * names them before, so they get their page name as the others do.
 */
import { html as litHtml, type LitElement, type ReactiveElement, type TemplateResult } from 'lit';

type ElementClass = typeof LitElement;

/** Elements that host pages place by name. */
const publicTags: ReadonlySet<string> = new Set(['im-chat']);

/** The inner elements' own registry, or null where the browser has no scoped registries. */
const innerRegistry = createScopedRegistry();

/** Inner tag names that the page had taken, and the names used instead. */
const renamed = new Map<string, string>();

/** Templates with renamed tags, by the original template (Lit caches by that identity). */
const renamedTemplates = new WeakMap<TemplateStringsArray, TemplateStringsArray>();

/** Modules that define an inner element, by tag, until their first load starts. */
const notLoaded = new Map<string, () => Promise<unknown>>();

/** Loads of elements defined on demand, by tag, once started. */
const loads = new Map<string, Promise<void>>();

/** Elements defined on demand whose module has loaded. */
const loaded = new Set<string>();

/**
 * Class decorator that defines one of the widget's elements (in place of Lit's
 * `@customElement`).
 *
 * @example
 * ```ts
 * @imElement('im-avatar')
 * export class ImAvatar extends LitElement {}
 * ```
 */
export function imElement(tagName: string) {
  return (element: ElementClass): void => {
    if (innerRegistry) {
      innerRegistry.define(tagName, scopedTo(innerRegistry, element));
      if (publicTags.has(tagName) && !customElements.get(tagName)) {
        customElements.define(tagName, scopedTo(innerRegistry, element));
      }
    } else if (publicTags.has(tagName)) {
      if (!customElements.get(tagName)) customElements.define(tagName, element);
    } else {
      const name = freeName(tagName);
      if (name !== tagName) renamed.set(tagName, name);
      customElements.define(name, element);
    }
  };
}

/**
 * Says which module defines an inner element that loads on demand, the first time
 * {@link defined} or {@link whenDefined} asks for it.
 *
 * @example
 * ```ts
 * onDemand('im-group-panel', () => import('../im-group-panel/im-group-panel.js'));
 * ```
 */
export function onDemand(tagName: keyof HTMLElementTagNameMap, load: () => Promise<unknown>): void {
  if (loads.has(tagName) || notLoaded.has(tagName)) return;
  notLoaded.set(tagName, load);
}

/**
 * Whether an inner element can render now: true unless it loads on demand and has not
 * loaded yet, in which case its module starts loading and `host` updates once it has (the
 * host shows a loading state meanwhile, never an element that has not upgraded).
 *
 * @example
 * ```ts
 * ${this.panel && defined('im-group-panel', this) ? html`<im-group-panel …></im-group-panel>` : nothing}
 * ```
 */
export function defined(tagName: keyof HTMLElementTagNameMap, host: ReactiveElement): boolean {
  if (loaded.has(tagName) || !(notLoaded.has(tagName) || loads.has(tagName))) return true;
  whenDefined(tagName).then(
    () => host.requestUpdate(),
    (error: unknown) => console.error(`im-chat: <${tagName}> did not load`, error),
  );
  return false;
}

/** Resolves once an inner element is defined, loading its module if it loads on demand. */
export function whenDefined(tagName: keyof HTMLElementTagNameMap): Promise<void> {
  const load = notLoaded.get(tagName);
  if (load) return startLoad(tagName, load);
  return loads.get(tagName) ?? Promise.resolve();
}

function startLoad(tagName: string, load: () => Promise<unknown>): Promise<void> {
  notLoaded.delete(tagName);
  const loading = load().then(
    () => void loaded.add(tagName),
    (error: unknown) => {
      // A failed load (the network) is tried again the next time the element is asked for.
      loads.delete(tagName);
      notLoaded.set(tagName, load);
      throw error;
    },
  );
  loads.set(tagName, loading);
  return loading;
}

/**
 * The name an inner element has on this page, for selectors. Typed as the canonical name so
 * that `querySelector(tag('im-menu'))` keeps its element type.
 */
export function tag<Name extends keyof HTMLElementTagNameMap>(tagName: Name): Name {
  return (renamed.get(tagName) ?? tagName) as Name;
}

/**
 * Creates one of the widget's elements on its own, outside an `<im-chat>` (for tests and tools
 * that show one part): from the inner registry where there is one.
 */
export function createElement<Name extends keyof HTMLElementTagNameMap>(tagName: Name): HTMLElementTagNameMap[Name] {
  const element = innerRegistry
    ? document.createElement(tagName, { customElementRegistry: innerRegistry })
    : document.createElement(tag(tagName));
  return element as HTMLElementTagNameMap[Name];
}

/** Lit's `html`, with the inner elements' tags under the names they have on this page. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): TemplateResult {
  return litHtml(renamed.size === 0 ? strings : withPageNames(strings), ...values);
}

function withPageNames(strings: TemplateStringsArray): TemplateStringsArray {
  let result = renamedTemplates.get(strings);
  if (!result) {
    const parts: string[] = [];
    for (let i = 0; i < strings.length; i++) {
      parts.push(strings[i]!.replace(/<(\/?)(im-[a-z0-9-]+)/g, (_match, slash: string, name: string) => `<${slash}${renamed.get(name) ?? name}`));
    }
    // Lit accepts only arrays that look like template strings (with their own `raw`).
    result = Object.assign(parts, { raw: parts }) as unknown as TemplateStringsArray;
    renamedTemplates.set(strings, result);
  }
  return result;
}

function freeName(tagName: string): string {
  let name = tagName;
  for (let n = 2; customElements.get(name); n++) name = `${tagName}-${n}`;
  return name;
}

function createScopedRegistry(): CustomElementRegistry | null {
  // `initialize` tells the standard API from the older polyfill's, which we do not drive.
  if (typeof CustomElementRegistry !== 'function' || !('initialize' in CustomElementRegistry.prototype)) return null;
  try {
    return new CustomElementRegistry();
  } catch {
    return null;
  }
}

/** The element, rendering its shadow root (and the templates in it) with `registry`. */
function scopedTo(registry: CustomElementRegistry, element: ElementClass): ElementClass {
  const creationScope = {
    importNode: (node: Node, deep?: boolean) =>
      document.importNode(node, { customElementRegistry: registry, selfOnly: !deep }),
  };
  return class extends element {
    static override shadowRootOptions = { ...element.shadowRootOptions, customElementRegistry: registry };

    protected override createRenderRoot() {
      this.renderOptions.creationScope = creationScope;
      return super.createRenderRoot();
    }
  };
}
