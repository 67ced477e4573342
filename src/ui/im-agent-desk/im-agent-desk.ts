import { nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { shellIcons } from '../shell-icons.js';
import { conversationListParts, exportParts, messagePaneParts } from '../parts.js';
import '../im-connection-status/im-connection-status.js';
import '../im-conversation-list/im-conversation-list.js';
import type { SelectConversationDetail } from '../im-conversation-list/im-conversation-list.js';
import '../im-message-pane/im-message-pane.js';
import type { ImMessagePane } from '../im-message-pane/im-message-pane.js';
import './im-support-case.js';
import { styles } from './im-agent-desk.styles.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

/**
 * A support team's inbox, for its agents: the cases in tabs (Unassigned, Mine, All
 * open, Resolved), the open conversation, and what is known of the customer and the
 * page they are on. Three columns when wide; one at a time on a phone.
 *
 * @summary Support agent inbox.
 * @event im-select - A case was opened. Detail: `{ conversationId }`.
 * @csspart inbox - The list of cases.
 * @csspart conversation-pane - The open case's conversation.
 * @csspart case-pane - The customer and the case.
 */
@imElement('im-agent-desk')
export class ImAgentDesk extends ImElement {
  static override styles = styles;

  /** The open case. */
  @property() selected: string | null = null;

  /** The case panel shows over the conversation (it sits beside it when there is room). */
  @state() private caseShown = false;

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const view = !this.selected ? 'inbox' : this.caseShown ? 'case' : 'conversation';
    return html`<div class="desk" data-view=${view}>
      <im-connection-status></im-connection-status>
      <div class="panes">
        <nav part="inbox" class="inbox" aria-label=${t.t('inbox.title')}>
          <div class="header"><h2 aria-level=${this.headingLevel()}>${t.t('inbox.title')}</h2></div>
          <im-conversation-list class="conversation-list" exportparts=${exportParts(conversationListParts)} inbox .selected=${this.selected} @im-select=${this.#onSelect}></im-conversation-list>
        </nav>
        <!-- Not <main>: the host page has its own. -->
        <div part="conversation-pane" class="conversation" role="group" aria-label=${t.t('inbox.conversation')}>
          ${this.selected
            ? html`<im-message-pane conversation-id=${this.selected} exportparts=${exportParts(messagePaneParts)} @im-back=${this.#onBack}>
                <button
                  slot="header-actions"
                  type="button"
                  class="icon-button case-toggle"
                  aria-label=${t.t('case.title')}
                  title=${t.t('case.title')}
                  aria-expanded=${this.caseShown ? 'true' : 'false'}
                  @click=${() => (this.caseShown = !this.caseShown)}
                >
                  ${shellIcons.person}
                </button>
              </im-message-pane>`
            : html`<p class="placeholder">${t.t('inbox.choose')}</p>`}
        </div>
        ${this.selected
          ? html`<aside part="case-pane" class="case" aria-label=${t.t('case.title')}>
              <im-support-case
                conversation-id=${this.selected}
                @im-select=${this.#onSelect}
                @im-close=${() => (this.caseShown = false)}
              ></im-support-case>
            </aside>`
          : nothing}
      </div>
    </div>`;
  }

  #onSelect(event: CustomEvent<SelectConversationDetail>): void {
    event.stopPropagation();
    this.selected = event.detail.conversationId;
    this.caseShown = false;
    this.emit('im-select', event.detail, toParentOnly);
    void this.updateComplete.then(() => this.renderRoot.querySelector<ImMessagePane>('im-message-pane')?.focusComposer());
  }

  #onBack(): void {
    this.selected = null;
    this.caseShown = false;
    this.emit('im-select', null, toParentOnly);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-agent-desk': ImAgentDesk;
  }
}
