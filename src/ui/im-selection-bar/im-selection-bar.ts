import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { limits } from '../../protocol/index.js';
import { errorText, type NameOf } from '../describe.js';
import { icons } from '../icons.js';
import '../im-menu/im-menu.js';
import type { ImMenu, MenuItem, MenuSelectDetail } from '../im-menu/im-menu.js';
import '../im-group-panel/im-group-confirm.js';
import type { ImGroupConfirm } from '../im-group-panel/im-group-confirm.js';
import { forwardTargets } from '../im-message-list/forward-targets.js';
import { ViewModelController } from '../controllers/view-model-controller.js';
import type { ForwardMode, MessageSelection } from '../view-models/message-selection.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { styles } from './im-selection-bar.styles.js';

/** How long "Copied" stays. */
const copiedMs = 2_000;

const forwardModes: readonly ForwardMode[] = ['one-by-one', 'history'];

/**
 * What can be done with the messages picked in selection mode, in the composer's place:
 * how many are picked, Forward (to a recent conversation, one by one or as one chat
 * history), Copy, Delete for me, and Cancel. Escape cancels too (the pane listens).
 *
 * @summary The bar of a message list's selection mode.
 * @csspart selection-bar - The bar.
 * @csspart selection-action - Each of its buttons.
 * @cssprop --im-selection-bar-height - Its least height (the composer's, by default 56px).
 */
@imElement('im-selection-bar')
export class ImSelectionBar extends ImElement {
  static override styles = styles;

  /** The picked messages; the bar acts on them and leaves selection mode through them. */
  @property({ attribute: false }) selection: MessageSelection | null = null;
  /** Names for the copied text and the forward targets. */
  @property({ attribute: false }) nameOf: NameOf = (userId) => userId;

  /** The menu offers conversations, then (once one is chosen) how to forward to it. */
  @state() private forwarding: { target: MenuItem | null; items: MenuItem[] } | null = null;
  /** The last copy: done, or refused by the browser and shown to copy by hand. */
  @state() private copy: { ok: true } | { ok: false; text: string } | null = null;
  @state() private failure: string | null = null;
  @query(tag('im-menu')) private menu!: ImMenu;
  @query(tag('im-group-confirm')) private confirmDialog!: ImGroupConfirm;
  @query('.forward') private forwardButton!: HTMLButtonElement;

  readonly #selection = new ViewModelController(this, () => this.selection ?? undefined);
  #copyTimer: ReturnType<typeof setTimeout> | undefined;

  /** Puts the keyboard on the bar's first action, as the composer it replaces had it. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('.action')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#copyTimer);
  }

  protected override render() {
    const t = this.translator;
    const selection = this.#selection.value;
    if (!t || !selection) return nothing;
    const none = selection.count === 0;
    const copy = this.copy;
    return html`<div class="bar" part="selection-bar" role="toolbar" aria-label=${t.t('selection.toolbar')}>
        <p class="count ${selection.full ? 'full' : ''}" role="status">
          ${selection.full
            ? t.t('selection.full', { count: limits.historyItemsMax })
            : copy?.ok
              ? t.t('message.copied')
              : t.t('selection.count', { count: selection.count })}
        </p>
        <div class="actions">
          <button
            type="button"
            class="action forward"
            part="selection-action"
            aria-haspopup="menu"
            ?disabled=${none}
            @click=${() => void this.#offerTargets()}
          >
            ${icons.forward}<span>${t.t('message.forward')}</span>
          </button>
          <button type="button" class="action copy" part="selection-action" ?disabled=${none} @click=${() => void this.#copy()}>
            ${icons.copy}<span>${t.t('selection.copy')}</span>
          </button>
          <button
            type="button"
            class="action danger delete"
            part="selection-action"
            ?disabled=${none}
            @click=${() => void this.#delete()}
          >
            ${icons.trash}<span>${t.t('message.deleteForMe')}</span>
          </button>
          <button type="button" class="action cancel" part="selection-action" @click=${() => selection.cancel()}>
            ${icons.close}<span>${t.t('cancel')}</span>
          </button>
        </div>
        ${this.failure ? html`<p class="failure" role="alert">${this.failure}</p>` : nothing}
        ${copy && !copy.ok
          ? html`<div class="by-hand">
              <p id="by-hand-note">${t.t('selection.copyByHand')}</p>
              <textarea readonly aria-describedby="by-hand-note" aria-label=${t.t('selection.copied')} .value=${copy.text}></textarea>
            </div>`
          : nothing}
      </div>
      <im-menu
        .label=${this.forwarding?.target
          ? t.t('selection.forwardHow', { name: this.forwarding.target.label })
          : t.t('message.forwardTo')}
        .items=${this.forwarding?.items ?? []}
        @im-menu-select=${(event: CustomEvent<MenuSelectDetail>) => void this.#choose(event.detail.id)}
      ></im-menu>
      <im-group-confirm></im-group-confirm>`;
  }

  async #offerTargets(): Promise<void> {
    const client = this.client;
    const from = this.selection?.conversationId;
    if (!client || !from) return;
    this.failure = null;
    this.forwarding = { target: null, items: await forwardTargets(client, from, this.nameOf) };
    await this.#showMenu();
  }

  async #choose(id: string): Promise<void> {
    const t = this.translator;
    const forwarding = this.forwarding;
    if (!t || !forwarding) return;
    if (!forwarding.target) {
      const target = forwarding.items.find((item) => item.id === id) ?? null;
      const items = forwardModes.map((mode) => ({ id: mode, label: t.t(`selection.forward.${mode}`) }));
      this.forwarding = { target, items };
      await this.#showMenu();
      return;
    }
    this.forwarding = null;
    try {
      await this.selection?.forward(forwarding.target.id, id as ForwardMode);
    } catch (error) {
      this.failure = errorText(error, t);
    }
  }

  async #showMenu(): Promise<void> {
    await this.updateComplete;
    await this.menu.showFor(this.forwardButton);
  }

  /** The picked messages to the clipboard; where the browser refuses, selected in a box to copy by hand. */
  async #copy(): Promise<void> {
    const t = this.translator;
    const selection = this.selection;
    if (!t || !selection) return;
    clearTimeout(this.#copyTimer);
    const text = selection.copyText(t, this.nameOf);
    try {
      await navigator.clipboard.writeText(text);
      this.copy = { ok: true };
      this.#copyTimer = setTimeout(() => (this.copy = null), copiedMs);
    } catch {
      // Refused (permissions, an insecure page, no focus): the person copies it themselves.
      this.copy = { ok: false, text };
      await this.updateComplete;
      const box = this.renderRoot.querySelector('textarea');
      box?.focus();
      box?.select();
    }
  }

  async #delete(): Promise<void> {
    const t = this.translator;
    const selection = this.selection;
    if (!t || !selection) return;
    const confirmed = await this.confirmDialog.ask({
      message: t.t('selection.confirmDelete', { count: selection.count }),
      confirm: t.t('message.deleteForMe'),
    });
    if (!confirmed) return;
    try {
      await selection.hideForMe();
    } catch (error) {
      this.failure = errorText(error, t);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-selection-bar': ImSelectionBar;
  }
}
