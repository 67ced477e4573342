/**
 * One row of the member list, with its actions menu (a menu button and real buttons): what
 * the owner and admins may do within the group, then, apart, blocking the person.
 */
import { nothing } from 'lit';
import type { CachedMember } from '../../client/index.js';
import type { GroupConversation, User } from '../../protocol/index.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import '../im-avatar/im-avatar.js';
import { errorText } from './actions.js';
import { memberActions, type MemberAction } from './rules.js';
import { icons } from '../icons.js';
import { html } from '../registry.js';

export interface MemberRowContext {
  t: Translator;
  group: GroupConversation;
  me: string | undefined;
  users: Map<string, User>;
  /** The people this user blocked. */
  blocked: ReadonlySet<string>;
  menuFor: string | null;
  busy: (userId: string) => boolean;
  error: (userId: string) => string | undefined;
  toggleMenu: (userId: string) => void;
  /** Closes the member's menu; `refocus` puts the keyboard back on its menu button. */
  closeMenu: (userId: string, refocus: boolean) => void;
  perform: (member: CachedMember, action: MemberAction) => void;
}

const labels: Record<MemberAction, MessageKey> = {
  'make-admin': 'groupPanel.makeAdmin',
  'remove-admin': 'groupPanel.removeAdmin',
  'make-owner': 'groupPanel.makeOwner',
  mute: 'groupPanel.mute',
  unmute: 'groupPanel.unmute',
  remove: 'groupPanel.remove',
  ban: 'groupPanel.ban',
  block: 'blocking.block',
  unblock: 'blocking.unblock',
};

export function renderMember(member: CachedMember, index: number, context: MemberRowContext) {
  const { t, group, me, users } = context;
  const user = users.get(member.userId);
  const name = user?.name ?? member.userId;
  const blocked = context.blocked.has(member.userId);
  const actions = memberActions(group, member, me, blocked);
  const hasActions = actions.group.length + actions.personal.length > 0;
  const open = context.menuFor === member.userId && hasActions;
  const item = (action: MemberAction) => html`<button
    type="button"
    role="menuitem"
    tabindex="-1"
    class=${action === 'remove' || action === 'ban' || action === 'block' ? `danger ${action}` : action}
    @click=${() => context.perform(member, action)}
  >
    ${t.t(labels[action])}
  </button>`;
  const error = context.error(member.userId);
  const menuId = `menu-${index}`;
  return html`<div
    class="member"
    role="listitem"
    aria-posinset=${index + 1}
    aria-setsize=${Math.max(group.memberCount, index + 1)}
    data-user-id=${member.userId}
  >
    <div class="person">
      <im-avatar .name=${name} .userId=${member.userId} .src=${user?.avatar ?? null}></im-avatar>
      <span class="name">${member.userId === me ? t.t('groupPanel.you', { name }) : name}</span>
      ${member.role === 'owner'
        ? html`<span class="badge owner">${t.t('ownerRole')}</span>`
        : member.role === 'admin'
          ? html`<span class="badge admin">${t.t('adminRole')}</span>`
          : nothing}
      ${member.muted ? html`<span class="badge muted">${t.t('mutedBadge')}</span>` : nothing}
      ${blocked ? html`<span class="badge blocked">${t.t('blocking.blocked')}</span>` : nothing}
      ${hasActions
        ? html`<button
            type="button"
            class="icon-button menu-button"
            data-menu-button=${member.userId}
            aria-haspopup="menu"
            aria-expanded=${open ? 'true' : 'false'}
            aria-controls=${open ? menuId : nothing}
            aria-label=${t.t('groupPanel.memberActions', { name })}
            title=${t.t('groupPanel.memberActions', { name })}
            ?disabled=${context.busy(member.userId)}
            @click=${() => context.toggleMenu(member.userId)}
          >
            ${icons.more}
          </button>`
        : html`<span class="menu-space"></span>`}
    </div>
    ${open
      ? html`<div
          class="menu"
          role="menu"
          id=${menuId}
          aria-label=${t.t('groupPanel.memberActions', { name })}
          data-menu=${member.userId}
          @keydown=${(event: KeyboardEvent) => onMenuKey(event, (refocus) => context.closeMenu(member.userId, refocus))}
          @focusout=${(event: FocusEvent) => onMenuFocusOut(event, () => context.closeMenu(member.userId, false))}
        >
          ${actions.group.map(item)}
          ${actions.group.length > 0 && actions.personal.length > 0 ? html`<div role="separator"></div>` : nothing}
          ${actions.personal.map(item)}
        </div>`
      : nothing}
    ${error ? html`<p class="error" role="alert">${errorText(t, error)}</p>` : nothing}
  </div>`;
}

/** Arrow keys, Home and End move between the items; Escape closes the menu (not the panel). */
function onMenuKey(event: KeyboardEvent, close: (refocus: boolean) => void): void {
  const menu = event.currentTarget as HTMLElement;
  const items = [...menu.querySelectorAll<HTMLButtonElement>("[role='menuitem']")];
  const current = items.indexOf(event.target as HTMLButtonElement);
  const move = (index: number) => {
    event.preventDefault();
    items[(index + items.length) % items.length]?.focus();
  };
  switch (event.key) {
    case 'ArrowDown':
      return move(current + 1);
    case 'ArrowUp':
      return move(current - 1);
    case 'Home':
      return move(0);
    case 'End':
      return move(items.length - 1);
    case 'Escape':
      event.preventDefault();
      event.stopPropagation();
      return close(true);
    case 'Tab':
      return close(false);
  }
}

/** Clicking or tabbing elsewhere closes the menu. */
function onMenuFocusOut(event: FocusEvent, close: () => void): void {
  const menu = event.currentTarget as HTMLElement;
  const next = event.relatedTarget as Node | null;
  if (next && (menu.contains(next) || menu.parentElement?.contains(next))) return;
  if (next) close();
}
