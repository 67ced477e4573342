import { provide } from '@lit/context';
import { exportParts, messagePaneParts } from '../parts.js';
import { nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { PrechatField, SupportConfig } from '../../protocol/index.js';
import { supportConfigContext } from '../context.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-connection-status/im-connection-status.js';
import '../im-message-pane/im-message-pane.js';
import type { ImMessagePane } from '../im-message-pane/im-message-pane.js';
import { describeAvailability } from '../support-session/availability.js';
import './im-prechat-form.js';
import type { ImPrechatForm } from './im-prechat-form.js';
import { styles } from './im-support-widget.styles.js';
import { ViewportController } from './viewport-controller.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

/**
 * The visitor's side of support mode: a launcher in a corner of the page with the count
 * of unread answers, and the panel it opens (full screen on phones): the team's greeting,
 * the pre-chat form when the team asks for one, then the conversation. Escape and the
 * close button close it and put the focus back on the launcher.
 *
 * @summary Support launcher and panel.
 * @event im-toggle - The launcher was clicked.
 * @event im-close - The visitor closed the panel.
 * @event im-prechat - The pre-chat form was filled in. Detail: `{ name?, email? }`.
 * @csspart launcher - The round button.
 * @csspart badge - The unread count on it.
 * @csspart panel - The floating panel.
 */
@imElement('im-support-widget')
export class ImSupportWidget extends ImElement {
  static override styles = styles;

  /** The team, as the server describes it; the pane under the panel reads it too. */
  @provide({ context: supportConfigContext })
  @property({ attribute: false })
  config: SupportConfig | null = null;

  @property({ type: Boolean, reflect: true }) open = false;
  @property({ reflect: true }) position: 'right' | 'left' = 'right';
  @property({ type: Number }) unread = 0;
  @property({ attribute: false }) conversationId: string | null = null;
  @property({ attribute: false }) prechatFields: { name: PrechatField; email: PrechatField } | null = null;
  @property({ type: Boolean }) busy = false;
  @property({ attribute: false }) error: string | null = null;
  /** The page opens the panel from its own button: no launcher; closing gives the focus back to that button. */
  @property({ type: Boolean }) noLauncher = false;
  /** The host signed the visitor in (no name is asked then). */
  @property({ type: Boolean }) signedIn = false;
  /** The button that turns notifications (and Web Push) on, from the element that runs them. */
  @property({ attribute: false }) notifyToggle: TemplateResult | typeof nothing = nothing;

  @query('.launcher') private launcher!: HTMLButtonElement;
  @query('.panel') private panel!: HTMLElement;

  #viewport = new ViewportController(this, () => (this.open ? this.panel : null));
  /** The visitor closed the panel: the launcher gets the focus once it shows again. */
  #focusLauncher = false;
  /** The panel opened: the form or the composer gets the focus once one of them shows. */
  #focusInsideWhenReady = false;
  /** What had the focus when the panel opened (the page's own button when there is no launcher). */
  #openedFrom: HTMLElement | null = null;

  /** Whether the conversation has anything in it yet (the greeting shows until it does). */
  #started = new LiveQueryController<boolean>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversationId;
      return cache && id ? async () => ((await cache.conversation(id))?.lastSeq ?? 0) > 0 : null;
    },
    deps: () => [this.session?.cache, this.conversationId],
  });

  /** Focuses the launcher, where there is one. */
  override focus(options?: FocusOptions): void {
    if (this.launcher) this.launcher.focus(options);
    else super.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) this.#openedFrom = document.activeElement as HTMLElement | null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) this.#focusInsideWhenReady = true;
    if (this.#focusInsideWhenReady && this.open && this.#focusInside()) this.#focusInsideWhenReady = false;
    if (changed.has('open') && !this.open && this.#focusLauncher) {
      this.#focusLauncher = false;
      (this.noLauncher ? this.#openedFrom : this.launcher)?.focus();
    }
    this.#viewport.refresh();
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const label = this.open ? t.t('support.closeChat') : t.t('support.openChat');
    const badge = !this.open && this.unread > 0;
    return html`${this.noLauncher
        ? nothing
        : html`<button
            part="launcher"
            class="launcher"
            type="button"
            aria-label=${badge ? `${label} (${t.t('unreadAnswers', { count: this.unread })})` : label}
            aria-expanded=${this.open ? 'true' : 'false'}
            aria-controls="panel"
            @click=${() => this.emit('im-toggle', {}, toParentOnly)}
          >
            ${this.open ? icons.minimize : icons.chat}
            ${badge ? html`<span part="badge" class="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.unread}</span>` : nothing}
          </button>`}
      <section
        part="panel"
        id="panel"
        class="panel"
        role="dialog"
        aria-label=${this.config?.name ?? t.t('support.title')}
        ?hidden=${!this.open}
        @keydown=${this.#onKeydown}
      >
        <im-connection-status></im-connection-status>
        ${this.open ? this.#renderBody(t) : nothing}
      </section>`;
  }

  #renderBody(t: Translator) {
    if (this.conversationId && !this.prechatFields) {
      const greeting = this.#started.value === false ? this.#greeting(t) : null;
      // The greeting welcomes the visitor instead of "No messages yet".
      return html`<im-message-pane class="message-pane" exportparts=${exportParts(messagePaneParts)} conversation-id=${this.conversationId} no-back ?no-empty-note=${greeting !== null}>
        <span slot="header-actions" class="actions">
          ${this.notifyToggle}
          <button type="button" class="icon-button" aria-label=${t.t('support.closeChat')} @click=${this.#close}>
            ${icons.close}
          </button>
        </span>
        ${greeting ? html`<p slot="notice" class="greeting" part="greeting">${greeting}</p>` : nothing}
      </im-message-pane>`;
    }
    return html`<div class="header">
        <div class="title">
          <h2 aria-level=${this.headingLevel()}>${this.config?.name ?? t.t('support.title')}</h2>
          <p class="subtitle">${describeAvailability(this.config, t) || '\u00a0'}</p>
        </div>
        <button type="button" class="icon-button" aria-label=${t.t('support.closeChat')} @click=${this.#close}>
          ${icons.close}
        </button>
      </div>
      <div class="body">
        ${this.config ? html`<p class="greeting" part="greeting">${this.#greeting(t)}</p>` : nothing}
        ${this.prechatFields
          ? html`<im-prechat-form .fields=${this.prechatFields} .busy=${this.busy} .error=${this.error}></im-prechat-form>`
          : this.error
            ? html`<p class="note error" role="alert">${t.error(this.error)}</p>`
            : html`<p class="note" role="status">${t.t('support.connecting')}</p>`}
      </div>`;
  }

  #greeting(t: Translator): string {
    return this.config?.greeting || t.t('support.greeting');
  }

  /** Focuses the form or the composer; false while neither is there yet (still connecting). */
  #focusInside(): boolean {
    // Taken out of the page while opening (a single-page app moved on): its parts never render.
    if (!this.isConnected) return false;
    const form = this.renderRoot.querySelector<ImPrechatForm>('im-prechat-form');
    if (form) {
      void form.updateComplete.then(() => form.focus());
      return true;
    }
    const pane = this.renderRoot.querySelector<ImMessagePane>('im-message-pane');
    pane?.focusComposer();
    return !!pane;
  }

  #close(): void {
    this.#focusLauncher = true;
    this.emit('im-close', {}, toParentOnly);
  }

  #onKeydown(event: KeyboardEvent): void {
    // A dialog or menu inside the pane (a lightbox, the emoji picker) closes first.
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    this.#close();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-support-widget': ImSupportWidget;
  }
}
