import { css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ChatClient } from '../../client/index.js';
import type { AnnouncementConfirmationsResult, GroupConversation, User } from '../../protocol/index.js';
import '../im-avatar/im-avatar.js';
import { codeOf, errorNote } from './actions.js';
import { partStyles } from './im-group-panel.styles.js';
import { canManage } from './rules.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/**
 * For a group's owner and admins: how many members confirmed the announcement, who has
 * and who has not yet; it follows confirmations live.
 *
 * @summary Announcement confirmations in the group panel.
 */
@imElement('im-announcement-confirmations')
export class ImAnnouncementConfirmations extends ImElement {
  static override styles = [
    partStyles,
    css`
      .count {
        margin: 8px 0 4px;
        font-weight: 600;
      }
      details {
        margin-top: 4px;
      }
      summary {
        min-height: 24px;
        cursor: pointer;
      }
      ul {
        margin: 4px 0 0;
        padding: 0;
        list-style: none;
      }
      li {
        padding: 4px 0;
        --im-avatar-size: 28px;
      }
    `,
  ];

  @property({ attribute: false }) conversation?: GroupConversation;

  @state() private tally: AnnouncementConfirmationsResult | null = null;
  @state() private loadError: string | null = null;

  #users = new Map<string, User>();
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
    const manages = !!group && canManage(group) && group.announcement !== '';
    if (this.#subscribedTo !== (manages ? client : null)) {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
      this.#subscribedTo = manages && client ? client : null;
      if (this.#subscribedTo) {
        this.#unsubscribe = this.#subscribedTo.on('announcement-confirmed', (confirmed) => {
          if (confirmed.conversationId === this.conversation?.id) void this.#load();
        });
        void this.#load();
      }
    } else if (changed.has('conversation') && manages) {
      const previous = changed.get('conversation') as GroupConversation | undefined;
      // A new announcement, or members came and went: the lists changed.
      if (
        previous?.id !== group.id ||
        previous.announcementSeq !== group.announcementSeq ||
        previous.memberCount !== group.memberCount
      ) {
        void this.#load();
      }
    }
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group || !canManage(group) || !group.announcement) return nothing;
    const tally = this.tally;
    if (!tally) return errorNote(t, this.loadError ?? undefined);
    const total = tally.confirmedCount + tally.pendingCount;
    return html`<p class="count" role="status">
        ${t.t('announcement.confirmations', { confirmed: tally.confirmedCount, total })}
      </p>
      ${errorNote(t, this.loadError ?? undefined)}
      ${this.#renderList('pending', t.t('announcement.notYet', { count: tally.pendingCount }), tally.pending, true)}
      ${this.#renderList('confirmed', t.t('announcement.confirmedBy', { count: tally.confirmedCount }), tally.confirmed, false)}`;
  }

  #renderList(kind: string, title: string, userIds: readonly string[], open: boolean) {
    if (userIds.length === 0) return nothing;
    return html`<details class=${kind} ?open=${open}>
      <summary>${title}</summary>
      <ul>
        ${userIds.map((userId) => {
          const user = this.#users.get(userId);
          const name = user?.name ?? userId;
          return html`<li class="person" data-user-id=${userId}>
            <im-avatar .name=${name} .userId=${userId} .src=${user?.avatar ?? null}></im-avatar>
            <span class="name"><bdi>${name}</bdi></span>
          </li>`;
        })}
      </ul>
    </details>`;
  }

  async #load(): Promise<void> {
    const client = this.client;
    const group = this.conversation;
    if (!client || !group) return;
    const loadId = ++this.#loadId;
    try {
      const tally = await client.groups.announcementConfirmations(group.id);
      if (loadId !== this.#loadId) return;
      for (const user of tally.users) this.#users.set(user.id, user);
      this.tally = tally;
      this.loadError = null;
    } catch (error) {
      if (loadId === this.#loadId) this.loadError = codeOf(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-announcement-confirmations': ImAnnouncementConfirmations;
  }
}
