import { css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ChatClient } from '../../client/index.js';
import type { GroupConversation, JoinRequest, User } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import { ActionTracker, codeOf, errorNote } from './actions.js';
import { personRow, personRowStyles } from './person-row.js';
import { partStyles } from './im-group-panel.styles.js';
import { canManage } from './rules.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

export interface RequestCountDetail {
  count: number;
}

/**
 * Pending requests to join a group (owner and admins), refreshed when someone asks;
 * Approve or Decline each. Hidden while the group takes no requests and none wait.
 *
 * @summary Join requests of the group panel.
 * @event im-request-count - The number of pending requests changed. Detail: `{ count }`.
 * @event im-members-change - A request was approved: the member list changed.
 */
@imElement('im-group-requests')
export class ImGroupRequests extends ImElement {
  static override styles = [
    partStyles,
    personRowStyles,
    css`
      .person .actions {
        flex: none;
        margin: 0;
      }
      li .error {
        margin-inline-start: 46px;
      }
    `,
  ];

  @property({ attribute: false }) conversation?: GroupConversation;

  @state() private requests: JoinRequest[] = [];
  @state() private users = new Map<string, User>();
  @state() private loadError: string | null = null;

  #actions = new ActionTracker(this);
  #unsubscribe: (() => void) | null = null;
  #subscribedTo: ChatClient | null = null;
  #loadId = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#subscribedTo = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const group = this.conversation;
    const client = this.client;
    const manages = !!group && canManage(group);
    if (this.#subscribedTo !== (manages ? client : null)) {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
      this.#subscribedTo = manages && client ? client : null;
      if (this.#subscribedTo) {
        this.#unsubscribe = this.#subscribedTo.on('join-request', (request) => {
          if (request.conversationId === this.conversation?.id) void this.#load();
        });
        void this.#load();
      } else {
        this.#setRequests([]);
      }
    } else if (changed.has('conversation') && manages) {
      const previous = changed.get('conversation') as GroupConversation | undefined;
      // A new id, or the policy changed (turning approval off drops pending requests).
      if (previous?.id !== group.id || previous.joinPolicy !== group.joinPolicy) void this.#load();
    }
  }

  protected override updated(): void {
    const group = this.conversation;
    this.hidden = !group || !canManage(group) || (group.joinPolicy !== 'approval' && this.requests.length === 0);
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group || !canManage(group)) return nothing;
    return html`<section aria-labelledby="requests-title">
      <h3 id="requests-title" aria-level=${this.headingLevel(1)}>${t.t('groupPanel.joinRequests')}</h3>
      ${errorNote(t, this.loadError ?? undefined)}
      ${this.requests.length === 0 && !this.loadError ? html`<p class="note">${t.t('groupPanel.noRequests')}</p>` : nothing}
      <ul>
        ${this.requests.map((request) => this.#renderRequest(request, t))}
      </ul>
    </section>`;
  }

  #renderRequest(request: JoinRequest, t: Translator) {
    const key = `decide:${request.userId}`;
    const busy = this.#actions.busy(key);
    return personRow(t, {
      userId: request.userId,
      user: this.users.get(request.userId),
      detail: t.t('groupPanel.requestedAt', { time: t.listTime(request.requestedAt) }),
      error: this.#actions.error(key),
      actions: (name) => html`<span class="actions">
          <button
            type="button"
            class="button primary approve"
            aria-label=${t.t('groupPanel.approveName', { name })}
            ?disabled=${busy}
            @click=${() => this.#decide(request, true)}
          >
            ${t.t('groupPanel.approve')}
          </button>
          <button
            type="button"
            class="button reject"
            aria-label=${t.t('groupPanel.rejectName', { name })}
            ?disabled=${busy}
            @click=${() => this.#decide(request, false)}
          >
            ${t.t('groupPanel.reject')}
          </button>
        </span>`,
    });
  }

  async #load(): Promise<void> {
    const group = this.conversation;
    const groups = this.client?.groups;
    if (!group || !groups) return;
    const id = ++this.#loadId;
    try {
      const { requests, users } = await groups.joinRequests(group.id);
      if (id !== this.#loadId) return;
      this.users = new Map(users.map((user) => [user.id, user]));
      this.loadError = null;
      this.#setRequests(requests);
    } catch (error) {
      if (id !== this.#loadId) return;
      this.loadError = codeOf(error);
    }
  }

  async #decide(request: JoinRequest, approve: boolean): Promise<void> {
    const groups = this.client?.groups;
    if (!groups) return;
    const ok = await this.#actions.run(`decide:${request.userId}`, () =>
      groups.decideJoinRequest(request.conversationId, request.userId, approve),
    );
    if (ok) {
      if (approve) this.emit('im-members-change', {}, toParentOnly);
      this.#setRequests(this.requests.filter((pending) => pending.userId !== request.userId));
      void this.#load();
    }
  }

  #setRequests(requests: JoinRequest[]): void {
    const changed = requests.length !== this.requests.length;
    this.requests = requests;
    if (changed) {
      this.emit('im-request-count', { count: requests.length }, toParentOnly);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-requests': ImGroupRequests;
  }
}
