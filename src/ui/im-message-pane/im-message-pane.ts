import { consume } from '@lit/context';
import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CachedConversation, CachedMember } from '../../client/index.js';
import type { GroupConversation, SupportConfig, User } from '../../protocol/index.js';
import { supportConfigContext } from '../context.js';
import { composerParts, exportParts, historyViewParts, messageListParts, selectionBarParts } from '../parts.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { PresenceController, describePresence } from '../controllers/presence-controller.js';
import { describeAvailability } from '../support-session/availability.js';
import { TypingController } from '../controllers/typing-controller.js';
import { avatarIdOf, conversationAvatar, conversationTitle, counterpartOf, namesFrom, type NameOf } from '../describe.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-announcement/im-announcement.js';
import '../im-avatar/im-avatar.js';
import '../im-composer/im-composer.js';
import type { ImComposer, Mentionable } from '../im-composer/im-composer.js';
import { canManage } from '../im-group-panel/rules.js';
import '../im-group-panel/im-group-confirm.js';
import type { ImGroupConfirm } from '../im-group-panel/im-group-confirm.js';
import { codeOf, errorText } from '../im-group-panel/actions.js';
import '../im-message-list/im-message-list.js';
import '../im-selection-bar/im-selection-bar.js';
import type { ComposeRequest } from '../im-message-list/message-menu.js';
import type { OpenHistoryDetail } from '../im-history/im-history-view.js';
import { styles } from './im-message-pane.styles.js';
import { defined, html, imElement, onDemand, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { ConversationViewModel } from '../view-models/conversation-view-model.js';
import { MessageSelection } from '../view-models/message-selection.js';
import { ViewModelController } from '../controllers/view-model-controller.js';
import { toParentOnly } from '../base/events.js';

onDemand('im-group-panel', () => import('../im-group-panel/im-group-panel.js'));
onDemand('im-history-view', () => import('../im-history/im-history-view.js'));

interface PaneData {
  conversation: CachedConversation | undefined;
  users: Map<string, User>;
  members: CachedMember[];
  /** The people this user blocked. */
  blocked: ReadonlySet<string>;
}

/** How many members a group's first load fetches, for the header and @mentions. */
const mentionablePages = 2;

/**
 * One open conversation: who it is with, its messages, and the composer (or why the
 * user cannot post; or, while messages are being selected, what to do with them). Groups also get their announcement and an info panel.
 *
 * @summary Conversation view.
 * @event im-back - The user asked to go back to the list (narrow layout).
 * @csspart header - The bar with the back button and the conversation's title.
 * @csspart presence - A single chat's "Online" or "Last seen …" under the title.
 * @csspart announcement - A group's pinned announcement.
 * @csspart announcement-toggle - Opens and folds the announcement.
 * @csspart announcement-confirm - The "Got it" button of an announcement not yet confirmed.
 * @csspart history-view - The messages of a chat history that was opened, over the conversation.
 * @csspart history-item - One message in it.
 * @csspart selection-bar - Instead of the composer in selection mode: how many are picked, and what to do with them.
 * @csspart selection-action - The selection bar's buttons (Forward, Copy, Delete for me, Cancel).
 * @csspart blocked-note - Instead of the composer of a single chat with a blocked person: who, and "Unblock".
 * @slot header-actions - Buttons at the end of the header (e.g. a panel's close button).
 * @slot notice - A line under the header (e.g. a support team's greeting).
 */
@imElement('im-message-pane')
export class ImMessagePane extends ImElement {
  static override styles = styles;

  @consume({ context: supportConfigContext, subscribe: true })
  supportConfig?: SupportConfig | null;

  @property({ attribute: 'conversation-id' }) conversationId = '';

  /** No back button, whatever the width (the pane is all there is, as in the support panel). */
  @property({ type: Boolean, attribute: 'no-back', reflect: true }) noBack = false;

  /** No "No messages yet" in an empty conversation (the notice slot says something better). */
  @property({ type: Boolean, attribute: 'no-empty-note' }) noEmptyNote = false;

  /** The group panel, open at its start or at the invite links; null when closed. */
  @state() private panel: 'info' | 'invite-links' | null = null;
  /** The chat history whose messages are shown over the conversation; null when none is. */
  @state() private history: OpenHistoryDetail | null = null;
  /** Blocking or unblocking the peer is under way, or failed with this code. */
  @state() private blocking: 'busy' | string | null = null;
  @query(tag('im-group-confirm')) private confirmDialog?: ImGroupConfirm;

  #focusWhenRendered = false;
  /** A seq to reveal once the conversation has rendered (it was opened to show it). */
  #revealWhenRendered: number | null = null;
  #membersLoadedFor: string | null = null;

  #data = new LiveQueryController<PaneData>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversationId;
      if (!cache || !id) return null;
      return async () => {
        const [conversation, users, members, blocked] = await Promise.all([
          cache.conversation(id),
          cache.users(),
          cache.membersOf(id),
          cache.blockedUsers(),
        ]);
        const blockedIds = new Set(blocked.map((entry) => entry.userId));
        return { conversation, users: new Map(users.map((user) => [user.id, user])), members, blocked: blockedIds };
      };
    },
    deps: () => [this.session?.cache, this.conversationId],
    key: () => this.conversationId,
  });

  /** What the user writes here: text, reply, edit, draft; the composer renders it. */
  #conversation = new ConversationViewModel({
    client: () => this.client,
    nameOf: (userId) => this.#data.value?.users.get(userId)?.name ?? userId,
  });

  /** The messages picked in selection mode; while it is on, its bar takes the composer's place. */
  readonly #selection = new MessageSelection({ client: () => this.client });
  readonly #selecting = new ViewModelController(this, () => this.#selection);

  /** A single chat's peer: online, or when last seen. */
  #typing = new TypingController(this, { client: () => this.client, conversationId: () => this.conversationId || null });
  #presence = new PresenceController(this, {
    client: () => this.client,
    userIds: () => [this.#peerId()].filter((id) => id !== null),
    ticking: true,
  });

  #peerId(): string | null {
    const conversation = this.#data.value?.conversation;
    return conversation ? counterpartOf(conversation) : null;
  }

  /** Puts the keyboard in the composer, as soon as the conversation has rendered. */
  focusComposer(): void {
    const composer = this.renderRoot.querySelector<ImComposer>('im-composer');
    this.#focusWhenRendered = !composer;
    composer?.focus();
  }

  /**
   * Scrolls the conversation to the message with this seq and highlights it (see
   * `<im-message-list>`); a conversation just opened does so as soon as it has rendered.
   */
  async revealSeq(seq: number): Promise<void> {
    await this.updateComplete;
    const list = this.renderRoot.querySelector(tag('im-message-list'));
    this.#revealWhenRendered = list ? null : seq;
    await list?.revealSeq(seq);
  }

  constructor() {
    super();
    this.addEventListener('keydown', this.#onKeyDown);
  }

  protected override willUpdate(): void {
    if (this.#selection.conversationId !== this.conversationId) this.#selection.cancel();
    // Drafts are in the user's cache: the conversation opens for writing once there is one.
    if (this.session?.cache && this.conversationId !== this.#conversation.conversationId) {
      void this.#conversation.open(this.conversationId);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#conversation.leave();
  }

  protected override updated(): void {
    if (this.#focusWhenRendered) this.focusComposer();
    if (this.#revealWhenRendered !== null) void this.revealSeq(this.#revealWhenRendered);
    const conversation = this.#data.value?.conversation;
    if (conversation?.type === 'group' && conversation.membership === 'active') {
      void this.#loadMembers(conversation.id, this.#data.value!.members.length === 0);
    }
  }

  protected override render() {
    const t = this.translator;
    const data = this.#data.value;
    if (!t || !data?.conversation) return nothing;
    const { conversation, users, members } = data;
    const peerId = conversation.type === 'single' ? conversation.peerId : null;
    const peerBlocked = peerId !== null && data.blocked.has(peerId);
    const nameOf = namesFrom(users.values());
    const title = conversationTitle(conversation, nameOf);
    const group = conversation.type === 'group' ? conversation : null;
    const avatar = conversationAvatar(conversation, users);
    // A customer sees the face of whoever answers under the team's name.
    const answeredBy = conversation.type === 'support' && conversation.role === 'customer' ? conversation.assigneeId : null;
    return html`<div class="header" part="header">
        <button
          type="button"
          class="icon-button back"
          aria-label=${t.t('back')}
          title=${t.t('back')}
          @click=${() => this.emit('im-back', {}, toParentOnly)}
        >
          ${icons.back}
        </button>
        <im-avatar
          part="avatar"
          .name=${answeredBy ? nameOf(answeredBy) : title}
          .userId=${answeredBy ?? avatarIdOf(conversation)}
          .src=${avatar}
          .online=${!group && this.#presence.online(this.#peerId() ?? '')}
          online-label=${t.t('presence.online')}
        ></im-avatar>
        <div class="title">
          <h2 aria-level=${this.headingLevel()}><bdi>${title}</bdi></h2>
          ${this.#typing.typists.length > 0
            ? html`<p class="subtitle typing" part="typing" role="status">${describeTyping(this.#typing.typists, nameOf, t)}</p>`
            : group
            ? html`<p class="subtitle">${t.t('members', { count: group.memberCount })}</p>`
            : // Never empty, so that the header keeps its height when the line changes.
              html`<p class="subtitle" part="presence">${this.#subtitle(conversation, nameOf, t) || '\u00a0'}</p>`}
        </div>
        ${group && canManage(group) && group.joinPolicy !== 'closed'
          ? html`<button
              type="button"
              class="icon-button invite-links"
              aria-label=${t.t('groupPanel.openInviteLinks')}
              title=${t.t('groupPanel.openInviteLinks')}
              aria-expanded=${this.panel === 'invite-links' ? 'true' : 'false'}
              @click=${() => (this.panel = 'invite-links')}
            >
              ${icons.link}
            </button>`
          : nothing}
        ${peerId !== null
          ? html`<button
              type="button"
              class="icon-button block-peer"
              aria-label=${t.t(peerBlocked ? 'blocking.unblockName' : 'blocking.blockName', { name: title })}
              title=${t.t(peerBlocked ? 'blocking.unblockName' : 'blocking.blockName', { name: title })}
              aria-pressed=${peerBlocked ? 'true' : 'false'}
              ?disabled=${this.blocking === 'busy'}
              @click=${() => void this.#setBlocked(peerId, title, !peerBlocked)}
            >
              ${icons.block}
            </button>`
          : nothing}
        ${group
          ? html`<button
              type="button"
              class="icon-button info"
              aria-label=${t.t('groupInfo')}
              title=${t.t('groupInfo')}
              aria-expanded=${this.panel === 'info' ? 'true' : 'false'}
              @click=${() => (this.panel = this.panel ? null : 'info')}
            >
              ${icons.info}
            </button>`
          : nothing}
        <slot name="header-actions"></slot>
      </div>
      <slot name="notice"></slot>
      ${group?.announcement
        ? html`<im-announcement
            exportparts="announcement, announcement-toggle, announcement-confirm"
            .conversation=${group}
          ></im-announcement>`
        : nothing}
      <im-message-list
        class="message-list"
        exportparts=${exportParts(messageListParts)}
        .conversation=${conversation}
        ?no-empty-note=${this.noEmptyNote}
        .users=${users}
        .selection=${this.#selection}
        @im-compose=${this.#onCompose}
        @im-open-history=${(event: CustomEvent<OpenHistoryDetail>) => (this.history = event.detail)}
      ></im-message-list>
      ${this.#selecting.value?.active
        ? html`<im-selection-bar exportparts=${exportParts(selectionBarParts)} .selection=${this.#selection} .nameOf=${nameOf}></im-selection-bar>`
        : peerBlocked
          ? this.#renderBlocked(peerId, title, t)
          : this.#renderComposer(conversation, members, users, t)}
      ${this.blocking && this.blocking !== 'busy' && !peerBlocked
        ? html`<p class="cannot-post" role="alert">${errorText(t, this.blocking)}</p>`
        : nothing}
      ${peerId !== null ? html`<im-group-confirm></im-group-confirm>` : nothing}
      ${this.history && defined('im-history-view', this)
        ? html`<im-history-view
            exportparts=${exportParts(historyViewParts)}
            .body=${this.history.body}
            .conversationId=${this.history.conversationId}
            @im-close=${this.#closeHistory}
          ></im-history-view>`
        : nothing}
      ${group && this.panel && defined('im-group-panel', this)
        ? html`<im-group-panel
            .conversation=${group}
            .joinParam=${this.settings?.joinParam ?? 'im-join'}
            .opening=${this.panel}
            @im-close=${() => (this.panel = null)}
          ></im-group-panel>`
        : nothing}`;
  }

  /** Under the title: the peer's presence; in support, who answers or when the team does. */
  #subtitle(conversation: CachedConversation, nameOf: NameOf, t: Translator): string {
    const presence = describePresence(this.#presence.get(this.#peerId() ?? ''), t);
    if (conversation.type !== 'support') return presence;
    if (conversation.role === 'agent') {
      const number = conversation.case?.visitorNumber;
      const who = number ? t.t('support.visitorNumber', { number }) : t.t('support.signedInCustomer');
      // A visitor who gave no name is called by their number already.
      const shown = number && nameOf(counterpartOf(conversation) ?? '').endsWith(`#${number}`) ? '' : who;
      return [shown, presence].filter(Boolean).join(' · ');
    }
    if (conversation.assigneeId) return t.t('support.answeredBy', { name: nameOf(conversation.assigneeId) });
    return describeAvailability(this.supportConfig ?? null, t);
  }

  #renderComposer(
    conversation: CachedConversation,
    members: CachedMember[],
    users: Map<string, User>,
    t: Translator,
  ) {
    if (conversation.type !== 'group') {
      return html`<im-composer
        part="composer"
        exportparts=${exportParts(composerParts)}
        .conversationId=${conversation.id}
        .names=${namesById(users)}
        .canShareContact=${conversation.type === 'single'}
        .viewModel=${this.#conversation}
      ></im-composer>`;
    }
    const reason = whyCannotPost(conversation);
    if (reason) return html`<p class="cannot-post" role="status">${t.t(reason)}</p>`;
    const me = this.session?.cache?.userId;
    const mentionables: Mentionable[] = members
      .filter((member) => member.userId !== me)
      .map((member) => ({
        id: member.userId,
        name: users.get(member.userId)?.name ?? member.userId,
        avatar: users.get(member.userId)?.avatar ?? null,
      }));
    return html`<im-composer
      part="composer"
      exportparts=${exportParts(composerParts)}
      .conversationId=${conversation.id}
      .mentionables=${mentionables}
      .canMentionAll=${conversation.role === 'owner' || conversation.role === 'admin'}
      .canShareContact=${true}
      .names=${namesById(users)}
      .viewModel=${this.#conversation}
    ></im-composer>`;
  }

  /** Instead of the composer while the peer is blocked: who is blocked, and the way back. */
  #renderBlocked(peerId: string, name: string, t: Translator) {
    return html`<div class="blocked-note" part="blocked-note" role="status">
      <span>${t.t('blocking.youBlocked', { name })}</span>
      <button
        type="button"
        class="button unblock"
        ?disabled=${this.blocking === 'busy'}
        @click=${() => void this.#setBlocked(peerId, name, false)}
      >
        ${t.t('blocking.unblock')}
      </button>
      ${this.blocking && this.blocking !== 'busy' ? html`<span class="error" role="alert">${errorText(t, this.blocking)}</span>` : nothing}
    </div>`;
  }

  /** Blocks (after asking) or unblocks the peer; the cache's block list redraws the pane. */
  async #setBlocked(peerId: string, name: string, blocked: boolean): Promise<void> {
    const t = this.translator;
    const client = this.client;
    if (!t || !client || this.blocking === 'busy') return;
    if (blocked) {
      const confirmed = await this.confirmDialog?.ask({
        message: t.t('blocking.confirmBlock', { name }),
        confirm: t.t('blocking.block'),
      });
      if (!confirmed) return;
    }
    this.blocking = 'busy';
    try {
      await (blocked ? client.blocks.block(peerId) : client.blocks.unblock(peerId));
      this.blocking = null;
    } catch (error) {
      this.blocking = codeOf(error);
    }
  }

  /** The history view closed: the card that opened it has the keyboard again. */
  #closeHistory = (): void => {
    const opener = this.history?.opener;
    this.history = null;
    if (opener?.isConnected) opener.focus();
  };

  /** Escape leaves selection mode, unless something inside (a menu, a dialog) took it. */
  #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented || !this.#selection.active) return;
    event.preventDefault();
    this.#selection.cancel();
  };

  /** A message's menu asked to reply to it, edit it, or take back its recalled text. */
  #onCompose = (event: CustomEvent<ComposeRequest>): void => {
    const composer = this.renderRoot.querySelector<ImComposer>('im-composer');
    if (!composer) return; // the user cannot post here
    this.#conversation.compose(event.detail);
    composer.focus();
  };

  /** The first pages of a group's members: enough for the header and for @mentions. */
  async #loadMembers(conversationId: string, empty: boolean): Promise<void> {
    if (!this.client || (!empty && this.#membersLoadedFor === conversationId)) return;
    this.#membersLoadedFor = conversationId;
    try {
      let cursor: string | null | undefined;
      for (let page = 0; page < mentionablePages && cursor !== null; page++) {
        cursor = await this.client.groups.loadMembers(conversationId, cursor);
      }
    } catch {
      this.#membersLoadedFor = null; // offline: try again when the pane next updates
    }
  }
}

function whyCannotPost(group: GroupConversation): MessageKey | null {
  if (group.membership === 'removed') return 'removedFromGroup';
  if (group.membership === 'left') return 'noLongerMember';
  if (group.dismissed) return 'groupDismissedNote';
  if (group.muted) return 'mutedNote';
  if (group.mutedAll && group.role === 'member') return 'mutedAllNote';
  return null;
}

declare global {
  interface HTMLElementTagNameMap {
    'im-message-pane': ImMessagePane;
  }
}

function namesById(users: ReadonlyMap<string, User>): Map<string, string> {
  return new Map([...users.values()].map((user) => [user.id, user.name]));
}

/** "Alice is typing…", or how many are, for a group busy with it. */
function describeTyping(typists: readonly string[], nameOf: NameOf, t: Translator): string {
  return t.t('message.typing', { count: typists.length, name: nameOf(typists[0]!) });
}
