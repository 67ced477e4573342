import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CachedMember } from '../../client/index.js';
import type { GroupConversation, User } from '../../protocol/index.js';
import type { SessionSnapshot } from '../context.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import type { MessageKey } from '../i18n/index.js';
import { ActionTracker, codeOf, errorText } from './actions.js';
import './im-group-add-people.js';
import type { ImGroupAddPeople } from './im-group-add-people.js';
import './im-group-confirm.js';
import type { ImGroupConfirm } from './im-group-confirm.js';
import { membersStyles } from './im-group-members.styles.js';
import { renderMember, type MemberRowContext } from './member-row.js';
import { canManage, isLive, type GroupMemberAction, type MemberAction, type PersonalAction } from './rules.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

interface MembersData {
  members: CachedMember[];
  users: Map<string, User>;
  /** The people this user blocked. */
  blocked: ReadonlySet<string>;
}

/** What each group action did, in the words of its timeline event. */
const announcements: Record<GroupMemberAction, MessageKey> = {
  'make-admin': 'event.member.role.admin',
  'remove-admin': 'event.member.role.member',
  'make-owner': 'event.owner.changed',
  mute: 'event.member.muted',
  unmute: 'event.member.unmuted',
  remove: 'event.member.removed',
  ban: 'event.member.banned',
};

/** Load the next page when the last visible row is this close to the end of what is cached. */
const prefetchRows = 20;

/**
 * A group's members, virtualized (a group has up to 10,000), loaded page by page from the
 * server as the list is scrolled; a menu per member: what the user's rank allows within
 * the group, and blocking the person; "Add people" for the owner and admins.
 *
 * @summary Member list of the group panel.
 * @event im-bans-change - The user banned a member: the list of bans changed.
 */
@imElement('im-group-members')
export class ImGroupMembers extends ImElement {
  static override styles = membersStyles;

  @property({ attribute: false }) conversation?: GroupConversation;

  /** The member whose menu is open. */
  @state() private menuFor: string | null = null;
  @state() private loading = false;
  @state() private loadError: string | null = null;
  /** What the last action did, for screen readers. */
  @state() private announcement = '';
  @query(tag('im-group-confirm')) private confirmDialog!: ImGroupConfirm;
  @query(tag('im-group-add-people')) private addPeople!: ImGroupAddPeople;

  #actions = new ActionTracker(this);
  #data = new LiveQueryController<MembersData>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversation?.id;
      if (!cache || !id) return null;
      return async () => {
        const [members, users, blocked] = await Promise.all([cache.membersOf(id), cache.users(), cache.blockedUsers()]);
        return {
          members,
          users: new Map(users.map((user) => [user.id, user])),
          blocked: new Set(blocked.map((entry) => entry.userId)),
        };
      };
    },
    deps: () => [this.session?.cache, this.conversation?.id],
    key: () => this.conversation?.id,
  });

  /** Where the server's list continues: undefined before the first page, null after the last. */
  #cursor: string | null | undefined = undefined;
  #pages = 0;
  /** Identifies the current loading run, so that a replaced one stops. */
  #generation = 0;
  /** The last list shown, kept while the cache reloads one that a membership event made stale. */
  #shown: CachedMember[] = [];
  #shownIds: ReadonlySet<string> = new Set();
  #lastVisible = -1;
  #lastStatus: SessionSnapshot['status'] | undefined;

  protected override willUpdate(changed: Map<string, unknown>): void {
    // Back online after a failed load: try again.
    const status = this.session?.status;
    if (this.loadError && status === 'online' && this.#lastStatus !== 'online') this.loadError = null;
    this.#lastStatus = status;
    const previous = changed.get('conversation') as GroupConversation | undefined;
    if (changed.has('conversation') && previous?.id !== this.conversation?.id) {
      this.#cursor = undefined;
      this.#pages = 0;
      this.#generation++;
      this.#shown = [];
      this.#shownIds = new Set();
      this.menuFor = null;
      this.loading = false;
      this.loadError = null;
    }
  }

  protected override updated(): void {
    const group = this.conversation;
    if (!group || !isLive(group) || !this.client || !this.session?.cache || this.loading || this.loadError) return;
    const members = this.#data.value?.members;
    if (this.#cursor === undefined) void this.#reload(1);
    // A membership event made the cache drop its stale list (never reload an empty group forever).
    else if (this.#data.settled && members?.length === 0 && this.#shown.length > 0) void this.#reload(this.#pages);
    else if (members && this.#cursor && this.#lastVisible >= members.length - prefetchRows) void this.#loadMore();
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group) return nothing;
    const data = this.#data.value;
    if (data && data.members.length > 0 && data.members !== this.#shown) {
      this.#shown = data.members;
      this.#shownIds = new Set(data.members.map((member) => member.userId));
    }
    const members = this.#shown;
    const context: MemberRowContext = {
      t,
      group,
      me: this.session?.cache?.userId,
      users: data?.users ?? new Map(),
      blocked: data?.blocked ?? new Set(),
      menuFor: this.menuFor,
      busy: (userId) => this.#actions.busy(`member:${userId}`),
      error: (userId) => this.#actions.error(`member:${userId}`),
      toggleMenu: (userId) => void this.#toggleMenu(userId),
      closeMenu: (userId, refocus) => void this.#closeMenu(userId, refocus),
      perform: (member, action) => void this.#perform(member, action),
    };
    return html`<div class="toolbar">
        <p class="note">${t.t('members', { count: group.memberCount })}</p>
        ${canManage(group)
          ? html`<button type="button" class="button add-people" @click=${() => this.addPeople.show()}>
              ${t.t('addPeople')}
            </button>`
          : nothing}
      </div>
      ${this.loadError
        ? html`<div class="load-error">
            <p class="error" role="alert">${errorText(t, this.loadError)}</p>
            <button type="button" class="button" @click=${this.#retry}>${t.t('retry')}</button>
          </div>`
        : nothing}
      <div
        class="list"
        role="list"
        tabindex="0"
        aria-label=${t.t('groupPanel.memberList')}
        aria-busy=${this.loading ? 'true' : 'false'}
        @visibilityChanged=${this.#onVisibility}
      >
        ${virtualize<CachedMember | undefined>({
          items: members,
          // When the list gets shorter (a reload starts again from its first page), a render
          // can come before the virtualizer's new range: it then asks for rows past the end.
          keyFunction: (member, index) => member?.userId ?? `past-end:${index}`,
          renderItem: (member, index) => (member ? renderMember(member, index, context) : html``),
          scroller: true,
        })}
      </div>
      <p class="note loading" role="status">${this.loading ? t.t('groupPanel.loadingMembers') : nothing}</p>
      <p class="visually-hidden" role="status">${this.announcement}</p>
      <im-group-add-people
        .conversation=${group}
        .memberIds=${this.#shownIds}
        @im-added=${this.refresh}
      ></im-group-add-people>
      <im-group-confirm></im-group-confirm>`;
  }

  /**
   * Loads the list again, after a change made elsewhere in the panel. (The change's own
   * timeline event may not clear the cached list: the command's answer can move the
   * conversation past it first.)
   */
  refresh(): void {
    void this.#reload(Math.max(1, this.#pages));
  }

  #onVisibility(event: VisibilityChangedEvent): void {
    this.#lastVisible = event.last;
    const members = this.#data.value?.members;
    if (members && this.#cursor && event.last >= members.length - prefetchRows) void this.#loadMore();
  }

  /** Loads the first `pages` pages again, from the start (the server's order may have changed). */
  async #reload(pages: number): Promise<void> {
    this.#generation++;
    this.#cursor = undefined;
    this.#pages = 0;
    this.loading = false;
    await this.#loadPages(Math.max(1, pages));
  }

  async #loadMore(): Promise<void> {
    if (this.#cursor) await this.#loadPages(this.#pages + 1);
  }

  async #loadPages(upTo: number): Promise<void> {
    const client = this.client;
    const id = this.conversation?.id;
    if (!client || !id || this.loading) return;
    const generation = this.#generation;
    this.loading = true;
    this.loadError = null;
    try {
      while (this.#pages < upTo && this.#cursor !== null) {
        const cursor = await client.groups.loadMembers(id, this.#cursor);
        if (generation !== this.#generation) return;
        this.#cursor = cursor;
        this.#pages++;
      }
    } catch (error) {
      if (generation === this.#generation) this.loadError = codeOf(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  #retry(): void {
    this.loadError = null;
    void (this.#pages === 0 ? this.#reload(1) : this.#loadMore());
  }

  async #toggleMenu(userId: string): Promise<void> {
    this.menuFor = this.menuFor === userId ? null : userId;
    if (!this.menuFor) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-menu="${CSS.escape(userId)}"] [role='menuitem']`)?.focus();
  }

  async #closeMenu(userId: string, refocus: boolean): Promise<void> {
    if (this.menuFor === userId) this.menuFor = null;
    if (!refocus) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-menu-button="${CSS.escape(userId)}"]`)?.focus();
  }

  async #perform(member: CachedMember, action: MemberAction): Promise<void> {
    const t = this.translator!;
    const group = this.conversation!;
    const groups = this.client?.groups;
    if (!groups) return;
    await this.#closeMenu(member.userId, true);
    const name = this.#data.value?.users.get(member.userId)?.name ?? member.userId;
    if (action === 'block' || action === 'unblock') return this.#setBlocked(member.userId, name, action);
    if (action === 'make-owner' || action === 'remove' || action === 'ban') {
      const confirmed = await this.confirmDialog.ask(
        action === 'make-owner'
          ? { message: t.t('groupPanel.confirmMakeOwner', { name }), confirm: t.t('groupPanel.makeOwner') }
          : action === 'ban'
            ? { message: t.t('groupPanel.confirmBan', { name }), confirm: t.t('groupPanel.ban') }
            : { message: t.t('groupPanel.confirmRemove', { name }), confirm: t.t('groupPanel.remove') },
      );
      if (!confirmed) return;
    }
    const id = group.id;
    const userId = member.userId;
    const ok = await this.#actions.run(`member:${userId}`, () => {
      switch (action) {
        case 'make-admin':
          return groups.setRole(id, userId, 'admin');
        case 'remove-admin':
          return groups.setRole(id, userId, 'member');
        case 'make-owner':
          return groups.transferOwnership(id, userId);
        case 'mute':
          return groups.muteMember(id, userId, true);
        case 'unmute':
          return groups.muteMember(id, userId, false);
        case 'remove':
          return groups.removeMember(id, userId);
        case 'ban':
          return this.client!.blocks.ban(id, userId);
      }
    });
    if (!ok) return;
    if (action === 'ban') this.emit('im-bans-change', {}, toParentOnly);
    // Said of the user's own action: the sentence's first-person form where a language has one.
    this.announcement = t.t(announcements[action], { actor: t.t('event.actorYou'), user: name }, { actorIs: 'you', userIs: 'other' });
    this.refresh();
  }

  /** Blocks (after asking, as from the chat's header) or unblocks; the cache's block list redraws the row. */
  async #setBlocked(userId: string, name: string, action: PersonalAction): Promise<void> {
    const t = this.translator!;
    const blocks = this.client?.blocks;
    if (!blocks) return;
    if (action === 'block') {
      const confirmed = await this.confirmDialog.ask({ message: t.t('blocking.confirmBlock', { name }), confirm: t.t('blocking.block') });
      if (!confirmed) return;
    }
    const ok = await this.#actions.run(`member:${userId}`, () =>
      action === 'block' ? blocks.block(userId) : blocks.unblock(userId),
    );
    if (ok) this.announcement = t.t(action === 'block' ? 'blocking.youBlocked' : 'blocking.youUnblocked', { name });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-members': ImGroupMembers;
  }
}
