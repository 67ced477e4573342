import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { GroupConversation } from '../../protocol/index.js';
import type { MessageKey } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import './im-group-info.js';
import './im-group-members.js';
import './im-group-settings.js';
import { styles } from './im-group-panel.styles.js';
import './im-group-requests.js';
import './im-group-bans.js';
import type { RequestCountDetail } from './im-group-requests.js';
import { canManage, isLive } from './rules.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

type Tab = 'info' | 'members' | 'settings';

const tabLabels: Record<Tab, MessageKey> = {
  info: 'groupPanel.tabInfo',
  members: 'groupPanel.tabMembers',
  settings: 'groupPanel.tabSettings',
};

/**
 * Everything about one group, over the conversation: its info (editable by the owner and
 * admins), its members (with a menu per member for those the user outranks), who may post
 * and join, invite links, join requests, and leaving or dismissing it. A modal dialog: a
 * drawer on the inline end of the window, the whole window when narrow. It opens when it
 * is connected; a former member or a dismissed group gets the info, read-only.
 *
 * @summary Group info panel.
 *
 * @example
 * <im-group-panel .conversation=${group} join-param="join" @im-close=${() => (this.open = false)}></im-group-panel>
 *
 * @event im-close - The panel was closed (the close button, Escape, or `close()`).
 * @csspart dialog - The panel's dialog box.
 */
@imElement('im-group-panel')
export class ImGroupPanel extends ImElement {
  static override styles = styles;

  /** The group, as the cache has it now (a new object on every change). */
  @property({ attribute: false }) conversation?: GroupConversation;

  /** The query parameter that carries the invite code in shareable links (`?im-join=…`). */
  @property({ attribute: 'join-param' }) joinParam = 'im-join';

  /** Where the panel opens: its info, or (for the owner and admins) the invite links. */
  @property({ attribute: false }) opening: 'info' | 'invite-links' = 'info';

  @state() private tab: Tab = 'info';
  @state() private requestCount = 0;
  @query('dialog') private dialog!: HTMLDialogElement | null;

  #closed = false;

  /** Closes the panel; `im-close` follows. */
  close(): void {
    this.dialog?.close();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#closed = false;
  }

  /** The panel opens as soon as it has something to show. */
  protected override updated(): void {
    if (this.dialog && !this.dialog.open && !this.#closed) {
      this.dialog.showModal();
      if (this.opening === 'invite-links') void this.#revealInviteLinks();
    }
  }

  async #revealInviteLinks(): Promise<void> {
    const group = this.conversation;
    if (!group || !canManage(group)) return;
    this.tab = 'settings';
    await this.updateComplete;
    await this.renderRoot.querySelector(tag('im-group-settings'))?.revealInviteLinks();
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group) return nothing;
    const tabs: Tab[] = !isLive(group) ? [] : canManage(group) ? ['info', 'members', 'settings'] : ['info', 'members'];
    const current = tabs.includes(this.tab) ? this.tab : 'info';
    return html`<dialog part="dialog" aria-labelledby="panel-title" @close=${this.#onClose}>
      <div class="header">
        <h2 id="panel-title" aria-level=${this.headingLevel()}>${t.t('groupInfo')}</h2>
        <button type="button" class="icon-button close" aria-label=${t.t('close')} title=${t.t('close')} @click=${this.close}>
          ${icons.close}
        </button>
      </div>
      ${tabs.length > 0
        ? html`<div role="tablist" aria-label=${t.t('groupInfo')} @keydown=${this.#onTabKey}>
            ${tabs.map(
              (tab) => html`<button
                type="button"
                role="tab"
                id="tab-${tab}"
                class=${tab}
                aria-selected=${tab === current ? 'true' : 'false'}
                aria-controls="panel-${tab}"
                tabindex=${tab === current ? '0' : '-1'}
                @click=${() => (this.tab = tab)}
              >
                ${t.t(tabLabels[tab])}
                ${tab === 'members' && this.requestCount > 0
                  ? html`<span class="count" aria-label=${t.t('groupPanel.requestCount', { count: this.requestCount })}
                      >${this.requestCount}</span
                    >`
                  : nothing}
              </button>`,
            )}
          </div>`
        : nothing}
      <div role="tabpanel" id="panel-info" aria-labelledby=${tabs.length ? 'tab-info' : 'panel-title'} ?hidden=${current !== 'info'}>
        <im-group-info .conversation=${group}></im-group-info>
      </div>
      ${tabs.includes('members')
        ? html`<div role="tabpanel" id="panel-members" class="members" aria-labelledby="tab-members" ?hidden=${current !== 'members'}>
            <im-group-requests
              class="join-requests"
              .conversation=${group}
              @im-request-count=${(event: CustomEvent<RequestCountDetail>) => (this.requestCount = event.detail.count)}
              @im-members-change=${() => this.renderRoot.querySelector(tag('im-group-members'))?.refresh()}
            ></im-group-requests>
            <im-group-members
              class="member-list"
              .conversation=${group}
              @im-bans-change=${() => this.renderRoot.querySelector(tag('im-group-bans'))?.refresh()}
            ></im-group-members>
            <im-group-bans class="bans" .conversation=${group}></im-group-bans>
          </div>`
        : nothing}
      ${tabs.includes('settings')
        ? html`<div role="tabpanel" id="panel-settings" aria-labelledby="tab-settings" ?hidden=${current !== 'settings'}>
            <im-group-settings .conversation=${group} .joinParam=${this.joinParam}></im-group-settings>
          </div>`
        : nothing}
    </dialog>`;
  }

  /** Left and Right (mirrored in right-to-left text), Home and End move between tabs. */
  #onTabKey(event: KeyboardEvent): void {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLButtonElement>("[role='tab']")];
    const index = tabs.indexOf(event.target as HTMLButtonElement);
    if (index < 0) return;
    const rtl = getComputedStyle(this.dialog!).direction === 'rtl';
    const steps: Record<string, number> = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 };
    const step = steps[event.key];
    let next: number | undefined;
    if (step) next = (index + step + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    tabs[next]!.click();
    tabs[next]!.focus();
  }

  #onClose(): void {
    this.#closed = true;
    this.emit('im-close', {}, toParentOnly);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-panel': ImGroupPanel;
  }
}
