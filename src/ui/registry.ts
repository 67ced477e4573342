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
 */
import { html as litHtml, type LitElement, type TemplateResult } from 'lit';

type ElementClass = typeof LitElement;

/** Elements that host pages place by name. */
const publicTags: ReadonlySet<string> = new Set(['im-chat']);

/** The inner elements' own registry, or null where the browser has no scoped registries. */
const innerRegistry = createScopedRegistry();

/** Inner tag names that the page had taken, and the names used instead. */
const renamed = new Map<string, string>();

/** Templates with renamed tags, by the original template (Lit caches by that identity). */
const renamedTemplates = new WeakMap<TemplateStringsArray, TemplateStringsArray>();

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
