import { nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CachedConversation, ChatClient } from '../../client/index.js';
import type { SupportAgent, SupportConversation, SupportDetailsResult, User } from '../../protocol/index.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { PresenceController, describePresence } from '../controllers/presence-controller.js';
import { errorText, namesFrom, type NameOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import { shellIcons } from '../shell-icons.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-support-case.styles.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

interface CaseData {
  conversation: SupportConversation | undefined;
  users: Map<string, User>;
  /** The customer's other support conversations, newest first. */
  others: CachedConversation[];
}

/**
 * What an agent knows of a support case: who asks (visitor or signed-in customer, their
 * e-mail, whether they are online), the page they are on and what the host says of it,
 * the pages before, their other conversations, and what happened to the case. Take,
 * transfer, resolve and reopen are here too.
 *
 * @summary Support case panel.
 * @event im-select - Another conversation of the customer was chosen. Detail: `{ conversationId }`.
 * @event im-close - The agent closed the panel (narrow layouts).
 * @csspart actions - The case's buttons.
 */
@imElement('im-support-case')
export class ImSupportCase extends ImElement {
  static override styles = styles;

  @property({ attribute: 'conversation-id' }) conversationId = '';

  @state() private details: SupportDetailsResult | null = null;
  @state() private agents: SupportAgent[] = [];
  @state() private failure: string | null = null;
  @state() private working = false;
  #detailsFor = '';

  #data = new LiveQueryController<CaseData>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversationId;
      if (!cache || !id) return null;
      return async () => {
        const [conversation, all, users] = await Promise.all([cache.conversation(id), cache.allConversations(), cache.users()]);
        const supportCase = conversation?.type === 'support' ? conversation : undefined;
        const customerId = supportCase?.case?.customerId;
        const others = all
          .filter((c) => c.id !== id && c.type === 'support' && c.case?.customerId === customerId)
          .sort((a, b) => b.updatedAt - a.updatedAt);
        return { conversation: supportCase, users: new Map(users.map((user) => [user.id, user])), others };
      };
    },
    deps: () => [this.session?.cache, this.conversationId],
    key: () => this.conversationId,
  });

  #presence = new PresenceController(this, {
    client: () => this.client,
    userIds: () => {
      const customerId = this.#data.value?.conversation?.case?.customerId;
      return customerId ? [customerId] : [];
    },
    ticking: true,
  });

  protected override updated(): void {
    const conversation = this.#data.value?.conversation;
    // Details and the team are read again whenever the case changes (a page, a transfer).
    const key = conversation ? `${conversation.id}:${JSON.stringify(conversation.case)}:${conversation.assigneeId}` : '';
    if (key && key !== this.#detailsFor && this.session?.status === 'online') {
      this.#detailsFor = key;
      void this.#load(conversation!.id);
    }
  }

  protected override render() {
    const t = this.translator;
    const data = this.#data.value;
    const supportCase = data?.conversation?.case;
    if (!t || !data?.conversation || !supportCase) return nothing;
    const { conversation, users, others } = data;
    const nameOf = namesFrom(users.values());
    const customer = users.get(supportCase.customerId);
    const name = customer?.name ?? supportCase.customerId;
    const presence = describePresence(this.#presence.get(supportCase.customerId), t);
    return html`<div class="header">
        <h2 aria-level=${this.headingLevel()}>${t.t('case.title')}</h2>
        <button type="button" class="icon-button close" aria-label=${t.t('close')} @click=${() => this.emit('im-close', {}, toParentOnly)}>
          ${shellIcons.close}
        </button>
      </div>
      <section class="customer" aria-label=${t.t('case.customer')}>
        <im-avatar
          .name=${name}
          .userId=${supportCase.customerId}
          .src=${customer?.avatar ?? null}
          .online=${this.#presence.online(supportCase.customerId)}
          online-label=${t.t('presence.online')}
        ></im-avatar>
        <div>
          <p class="name">${name}</p>
          <p class="muted">
            ${supportCase.visitorNumber
              ? t.t('support.visitorNumber', { number: supportCase.visitorNumber })
              : t.t('support.signedInCustomer')}${presence ? ` · ${presence}` : ''}
          </p>
          ${supportCase.email
            ? html`<p><a href=${`mailto:${supportCase.email}`} rel="noopener noreferrer nofollow">${supportCase.email}</a></p>`
            : nothing}
        </div>
      </section>
      ${this.#renderStatus(conversation, nameOf, t)} ${this.#renderPage(conversation, t)}
      ${this.#renderHistory(others, t)} ${this.#renderActivity(nameOf, t)}`;
  }

  #renderStatus(conversation: SupportConversation, nameOf: NameOf, t: Translator) {
    const supportCase = conversation.case!;
    const me = this.session?.cache?.userId ?? '';
    const resolved = supportCase.status === 'resolved';
    const others = this.agents.filter((agent) => agent.user.id !== conversation.assigneeId);
    return html`<section class="status" aria-label=${t.t('case.status')}>
      <p>
        <span class="chip ${supportCase.status}">${t.t(resolved ? 'case.resolved' : 'case.open')}</span>
        ${conversation.assigneeId === me
          ? t.t('case.assignedToMe')
          : conversation.assigneeId
            ? t.t('case.assignedTo', { name: nameOf(conversation.assigneeId) })
            : t.t('case.unassigned')}
      </p>
      <div class="actions" part="actions">
        ${conversation.assigneeId !== me
          ? html`<button type="button" class="primary" ?disabled=${this.working} @click=${() => this.#act((c) => c.support.assign(conversation.id, me))}>
              ${t.t('case.take')}
            </button>`
          : nothing}
        <label class="transfer">
          <span class="visually-hidden">${t.t('case.transfer')}</span>
          <select
            ?disabled=${this.working}
            @focus=${() => void this.#loadAgents()}
            @change=${(event: Event) => this.#transfer(conversation.id, event.target as HTMLSelectElement)}
          >
            <option value="">${t.t('case.transfer')}</option>
            ${others.map(
              (agent) => html`<option value=${agent.user.id}>
                ${t.t(agent.online ? 'case.agentOnline' : 'case.agentOffline', { name: agent.user.name, count: agent.openCount })}
              </option>`,
            )}
          </select>
        </label>
        <button
          type="button"
          ?disabled=${this.working}
          @click=${() => this.#act((c) => (resolved ? c.support.reopen(conversation.id) : c.support.resolve(conversation.id)))}
        >
          ${t.t(resolved ? 'case.reopen' : 'case.resolve')}
        </button>
      </div>
      ${this.failure ? html`<p class="failure" role="alert">${this.failure}</p>` : nothing}
    </section>`;
  }

  #renderPage(conversation: SupportConversation, t: Translator) {
    const { page, context } = conversation.case!;
    const pages = this.details?.pages.slice(1) ?? [];
    return html`<section aria-labelledby="page-title">
      <h3 id="page-title" aria-level=${this.headingLevel(1)}>${t.t('case.page')}</h3>
      ${page
        ? html`<p><a href=${page.url} target="_blank" rel="noopener noreferrer nofollow">${page.title || page.url}</a></p>`
        : html`<p class="muted">${t.t('case.noPage')}</p>`}
      ${context && Object.keys(context).length > 0
        ? html`<dl class="context">
            ${Object.entries(context).map(([key, value]) => html`<dt>${key}</dt><dd>${value === null ? '—' : String(value)}</dd>`)}
          </dl>`
        : nothing}
      ${pages.length > 0
        ? html`<h4 aria-level=${this.headingLevel(2)}>${t.t('case.earlierPages')}</h4>
            <ol class="pages">
              ${pages.map(
                (view) => html`<li>
                  <a href=${view.url} target="_blank" rel="noopener noreferrer nofollow">${view.title || view.url}</a>
                  <time datetime=${new Date(view.at).toISOString()}>${t.listTime(view.at)}</time>
                </li>`,
              )}
            </ol>`
        : nothing}
    </section>`;
  }

  #renderHistory(others: CachedConversation[], t: Translator) {
    if (others.length === 0) return nothing;
    return html`<section aria-labelledby="history-title">
      <h3 id="history-title" aria-level=${this.headingLevel(1)}>${t.t('case.otherConversations')}</h3>
      <ul class="others">
        ${others.map(
          (other) => html`<li>
            <button type="button" class="link" @click=${() => this.#select(other.id)}>
              ${t.t('case.conversationOf', { date: t.day(other.createdAt) })}
            </button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  #renderActivity(nameOf: NameOf, t: Translator) {
    const activity = this.details?.activity ?? [];
    if (activity.length === 0) return nothing;
    const who = (id: string | null) => (id === null ? t.t('case.byRouting') : nameOf(id));
    return html`<section aria-labelledby="activity-title">
      <h3 id="activity-title" aria-level=${this.headingLevel(1)}>${t.t('case.activity')}</h3>
      <ol class="activity">
        ${activity.map(
          (entry) => html`<li>
            ${entry.kind === 'assigned'
              ? entry.agentId
                ? t.t('case.activity.assigned', { agent: nameOf(entry.agentId), by: who(entry.by) })
                : t.t('case.activity.unassigned')
              : t.t(`case.activity.${entry.kind}`, { by: who(entry.by) })}
            <time datetime=${new Date(entry.at).toISOString()}>${t.listTime(entry.at)}</time>
          </li>`,
        )}
      </ol>
    </section>`;
  }

  async #load(conversationId: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const [details, agents] = await Promise.all([client.support.details(conversationId), client.support.agents()]);
      if (conversationId !== this.conversationId) return;
      this.details = details;
      this.agents = agents;
    } catch (error) {
      this.#detailsFor = ''; // try again on the next change
      if (this.translator) this.failure = errorText(error, this.translator);
    }
  }

  /** Who is online changes by the minute: read again when the agent goes to transfer. */
  async #loadAgents(): Promise<void> {
    try {
      this.agents = (await this.client?.support.agents()) ?? this.agents;
    } catch {
      // Offline: the list from before stays.
    }
  }

  #transfer(conversationId: string, select: HTMLSelectElement): void {
    const agentId = select.value;
    select.value = '';
    if (agentId) void this.#act((client) => client.support.assign(conversationId, agentId));
  }

  async #act(action: (client: ChatClient) => Promise<unknown>): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.working = true;
    this.failure = null;
    try {
      await action(client);
    } catch (error) {
      if (this.translator) this.failure = errorText(error, this.translator);
    } finally {
      this.working = false;
    }
  }

  #select(conversationId: string): void {
    this.emit('im-select', { conversationId }, toParentOnly);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-support-case': ImSupportCase;
  }
}
