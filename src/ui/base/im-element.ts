import { consume } from '@lit/context';
import { LitElement } from 'lit';
import type { ChatClient } from '../../client/index.js';
import {
  clientContext,
  sessionContext,
  settingsContext,
  translatorContext,
  type SessionSnapshot,
  type WidgetSettings,
} from '../context.js';
import type { Translator } from '../i18n/index.js';
import { emitFrom, type EmitOptions, type ImEventMap } from './events.js';

/**
 * The base of the widget's parts: what `<im-chat>` provides (the client, the session
 * snapshot, the translator), each undefined until the part is inside an `<im-chat>`, and a
 * typed `emit()`. Parts still register with `@imElement` and render with the registry's
 * `html`.
 *
 * @example
 * ```ts
 * @imElement('im-join-card')
 * export class ImJoinCard extends ImElement {
 *   #close(): void {
 *     this.emit('im-close', {}, toParentOnly);
 *   }
 * }
 * ```
 */
export class ImElement extends LitElement {
  @consume({ context: clientContext, subscribe: true })
  client?: ChatClient;

  @consume({ context: sessionContext, subscribe: true })
  session?: SessionSnapshot;

  @consume({ context: translatorContext, subscribe: true })
  translator?: Translator;

  @consume({ context: settingsContext, subscribe: true })
  settings?: WidgetSettings;

  /**
   * The `aria-level` of a heading `depth` below the widget's top ones: the host page
   * chooses where the widget sits in its outline (`heading-level`), so a part never adds
   * a second `<h1>` to the page.
   */
  protected headingLevel(depth = 0): number {
    return Math.min(6, (this.settings?.headingLevel ?? 2) + depth);
  }

  /** Dispatches one of our events (bubbling and composed unless `options` say otherwise). */
  protected emit<K extends keyof ImEventMap>(name: K, detail: ImEventMap[K], options?: EmitOptions): boolean {
    return emitFrom(this, name, detail, options);
  }
}
