/**
 * How one row of the message list looks. The list virtualizes rows and knows nothing of
 * bubbles; everything a message shows (its state, failure actions) is drawn here, and its
 * content by `renderBody`, which chat histories use too.
 */
import { nothing } from 'lit';
import type { HistoryBody, ReplyRef, User } from '../../protocol/index.js';
import { describeEvent, quoteText, type NameOf } from '../describe.js';
import type { LongPress } from '../controllers/long-press.js';
import type { SwipeToReply } from '../controllers/swipe-to-reply.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { renderBody } from './message-body.js';
import type { ShownEntry, TimelineRow } from './timeline-rows.js';
import { isSelectable, type MessageSelection } from '../view-models/message-selection.js';
import { html } from '../registry.js';

export interface RowContext {
  conversationId: string;
  t: Translator;
  nameOf: NameOf;
  /** The signed-in user's id. */
  me: string;
  /** Ids that were the user's before (a support visitor who signed in): their messages are own too. */
  aliases: ReadonlySet<string>;
  /** A group: others' messages carry their avatar and, at a group's start, their name. */
  group: boolean;
  users: ReadonlyMap<string, User>;
  /** The row that `revealSeq` pointed out, shown highlighted for a moment. */
  highlightKey: string | null;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  /** How far the others got with the user's own message at `seq` (null: not known). */
  receipt: (seq: number) => Receipt | null;
  /** Scrolls to a quoted message. */
  reveal: (seq: number) => void;
  /** Opens the message's action menu at a point, or under the element. */
  openMenu: (entry: ShownEntry, at: { x: number; y: number } | HTMLElement) => void;
  /** Opens only the quick reactions (and "more") under the element. */
  openReactions: (entry: ShownEntry, at: HTMLElement) => void;
  /** Puts the user's reaction on the message, or takes it back. */
  react: (entry: ShownEntry, emoji: string, on: boolean) => void;
  /** Lists who put this emoji on the message. */
  showReactors: (entry: ShownEntry, emoji: string, at: { x: number; y: number } | HTMLElement) => void;
  longPress: LongPress;
  /** The row that is the list's one Tab stop; the controls of other rows are out of the Tab order. */
  focusKey: string | null;
  /**
   * The row the mouse is over, or was over last. Only it and the focused row render their
   * "Add reaction" and actions buttons; the others keep the buttons' room empty.
   */
  hoverKey: string | null;
  swipe: SwipeToReply;
  /** Quotes the message in the composer (a swipe on touch screens). */
  reply: (entry: ShownEntry) => void;
  /** For the user's own message recalled in this session: puts its text back in the composer. */
  reEdit: (entry: ShownEntry) => (() => void) | null;
  /** A chat history card was chosen: show its messages. */
  openHistory: (body: HistoryBody, opener: HTMLElement) => void;
  /** Selection mode: messages show a checkbox and a click picks them. Null otherwise. */
  selection: MessageSelection | null;
}

/** What the user's own message shows about the others: in a single chat, or a group's reader count. */
export type Receipt = { kind: 'single'; state: 'sent' | 'delivered' | 'read' } | { kind: 'group'; readBy: number };

/** One row: exactly one element, as the virtualizer lays out one element per item. */
export function renderRow(row: TimelineRow, context: RowContext) {
  const { t } = context;
  switch (row.kind) {
    case 'beginning':
      return html`<li class="note beginning" data-row=${row.key}>${t.t('beginning')}</li>`;
    case 'day':
      return html`<li class="day" part="day" data-row=${row.key}><span>${t.day(row.at)}</span></li>`;
    case 'unread':
      return html`<li class="unread-divider" part="unread-divider" data-row=${row.key}><span>${t.t('unreadDivider')}</span></li>`;
    case 'entry':
      return renderEntry(row, context);
  }
}

function renderEntry(row: Extract<TimelineRow, { kind: 'entry' }>, context: RowContext) {
  const { t, nameOf, me, group } = context;
  const { entry, groupStart, groupEnd } = row;
  const highlighted = context.highlightKey === entry.key;
  const { body } = entry;
  if (body.type === 'system') {
    return html`<li
      class="event ${highlighted ? 'highlighted' : ''}"
      part="event ${highlighted ? 'highlight' : ''}"
      data-row=${row.key}
      data-key=${entry.key}
      data-seq=${entry.seq ?? nothing}
      tabindex=${context.focusKey === row.key ? 0 : -1}
    >
      <span>${describeEvent(entry.senderId, body.event, t, nameOf, me)}</span>
    </li>`;
  }
  const own = entry.senderId === me || context.aliases.has(entry.senderId);
  const sender = own ? t.t('you') : nameOf(entry.senderId);
  const mentionsMe = !own && body.type === 'text' && (body.mentionAll || body.mentions?.includes(me));
  const withAvatar = group && !own;
  const { selection } = context;
  const selectable = selection !== null && isSelectable(entry);
  const classes = [
    'message',
    own ? 'own' : 'other',
    groupStart ? 'group-start' : '',
    groupEnd ? 'group-end' : '',
    withAvatar ? 'with-avatar' : '',
    mentionsMe ? 'mentions-me' : '',
    highlighted ? 'highlighted' : '',
    entry.status,
    selection ? 'selecting' : '',
    selectable && selection.isSelected(entry.key) ? 'selected' : '',
  ].join(' ');
  const parts = ['bubble', own ? 'own-bubble' : '', highlighted ? 'highlight' : ''].join(' ');
  // In selection mode a click picks the message: it does not open its menu or its content.
  const actionable = entry.status === 'sent' && body.type !== 'recalled' && !selection;
  const focused = context.focusKey === row.key;
  // Only the focused message's controls are in the Tab order: the list is one Tab stop.
  const tabindex = focused ? 0 : -1;
  const openAt = (event: MouseEvent) => {
    if (!actionable) return;
    event.preventDefault();
    context.openMenu(entry, { x: event.clientX, y: event.clientY });
  };
  return html`<li
    class=${classes}
    data-row=${row.key}
    data-key=${entry.key}
    data-seq=${entry.seq ?? nothing}
    data-status=${entry.status}
    tabindex=${tabindex}
    @click=${selectable ? () => selection.toggle(entry) : nothing}
    @contextmenu=${openAt}
    @pointerdown=${(event: PointerEvent) => {
      if (!actionable) return;
      context.longPress.start(event, (at) => context.openMenu(entry, at));
      context.swipe.start(event, event.currentTarget as HTMLElement, () => context.reply(entry));
    }}
    @pointerup=${(event: PointerEvent) => {
      context.longPress.cancel();
      context.swipe.end(event);
    }}
    @pointercancel=${(event: PointerEvent) => {
      context.longPress.cancel();
      context.swipe.cancel(event);
    }}
    @pointermove=${(event: PointerEvent) => {
      context.longPress.move(event);
      context.swipe.move(event);
    }}
  >
    ${selectable ? renderCheckbox(entry, selection, sender, context, tabindex) : nothing}
    ${withAvatar
      ? html`<im-avatar
          part="avatar"
          class="sender-avatar ${groupStart ? '' : 'spacer'}"
          .name=${sender}
          .userId=${entry.senderId}
          .src=${context.users.get(entry.senderId)?.avatar ?? null}
        ></im-avatar>`
      : nothing}
    <div class="content">
      ${withAvatar && groupStart ? html`<div class="sender" aria-hidden="true"><bdi>${sender}</bdi></div>` : nothing}
      <div class="bubble ${body.type === 'image' || body.type === 'video' ? `media ${body.type}` : ''}" part=${parts}>
        <span class="visually-hidden"><bdi>${sender}</bdi>:</span>
        ${entry.replyTo ? renderQuote(entry.replyTo, context, tabindex) : nothing}
        ${renderBubbleContent(entry, context, focused)}
        <span class="meta">
          ${context.users.get(entry.senderId)?.bot ? html`<span class="bot" part="bot-badge">${t.t('message.bot')}</span>` : nothing}
          ${entry.editedAt ? html`<span class="edited">${t.t('message.edited')}</span>` : nothing}
          <time datetime=${new Date(entry.createdAt).toISOString()}>${t.time(entry.createdAt)}</time>
          ${own ? renderState(entry, context) : nothing}
        </span>
      </div>
      ${entry.reactions.length > 0 && body.type !== 'recalled' ? renderReactions(entry, context, tabindex, own) : nothing}
      ${entry.status === 'failed' ? renderFailure(entry, context, tabindex) : nothing}
    </div>
    ${actionable ? renderActions(entry, context, tabindex, focused || context.hoverKey === row.key) : nothing}
  </li>`;
}

/**
 * The reactions under a bubble: one chip per emoji with its count, the user's own
 * highlighted and pressed; choosing a chip puts the same reaction or takes it back. Who
 * reacted is in its name and tooltip, and listed by a long press or right-click.
 */
function renderReactions(entry: ShownEntry, context: RowContext, tabindex: number, own: boolean) {
  const { t, me, aliases, nameOf } = context;
  const isMe = (userId: string) => userId === me || aliases.has(userId);
  return html`<div class="reactions ${own ? 'own' : ''}" part="reactions" role="group" aria-label=${t.t('reaction.chips')}>
    ${entry.reactions.map((reaction) => {
      const mine = reaction.userIds.some(isMe);
      // Others first, in the order they reacted, then "you".
      const names = [
        ...reaction.userIds.filter((id) => !isMe(id)).map((id) => nameOf(id)),
        ...(mine ? [t.t('reaction.you')] : []),
      ];
      const count = reaction.userIds.length;
      const listed = t.list(names);
      return html`<button
        type="button"
        class="reaction-chip ${mine ? 'mine' : ''}"
        part=${mine ? 'reaction-chip own-reaction-chip' : 'reaction-chip'}
        tabindex=${tabindex}
        aria-pressed=${mine ? 'true' : 'false'}
        aria-label=${t.t('reaction.label', { emoji: reaction.emoji, count, names: listed })}
        title=${listed}
        @click=${() => context.react(entry, reaction.emoji, !mine)}
        @contextmenu=${(event: MouseEvent) => {
          event.preventDefault();
          event.stopPropagation();
          context.showReactors(entry, reaction.emoji, { x: event.clientX, y: event.clientY });
        }}
        @pointerdown=${(event: PointerEvent) => {
          // The chip's own long press: who reacted, not the message's menu.
          event.stopPropagation();
          context.longPress.start(event, (at) => context.showReactors(entry, reaction.emoji, at));
        }}
      >
        <span class="reaction-emoji" aria-hidden="true">${reaction.emoji}</span>
        <span class="reaction-count" aria-hidden="true">${count}</span>
      </button>`;
    })}
  </div>`;
}

/** A message's box in selection mode; the row around it takes the click. */
function renderCheckbox(entry: ShownEntry, selection: MessageSelection, sender: string, { t }: RowContext, tabindex: number) {
  const checked = selection.isSelected(entry.key);
  return html`<span
    class="select-box"
    part="select-checkbox"
    role="checkbox"
    tabindex=${tabindex}
    aria-checked=${checked ? 'true' : 'false'}
    aria-label=${t.t('selection.pick', { name: sender, time: t.time(entry.createdAt) })}
    @keydown=${(event: KeyboardEvent) => {
      if (event.key !== ' ' && event.key !== 'Enter') return;
      event.preventDefault();
      selection.toggle(entry);
    }}
    >${checked ? icons.check : nothing}</span
  >`;
}

/**
 * The room of a message's two buttons, and the buttons themselves when they can be reached:
 * under the mouse, or in the focused message (the one Tab goes into). Touch screens hide
 * them (a long press opens the menu). Leaving them out of every other row takes their
 * elements out of the rows a conversation opens with, while the room keeps bubbles from
 * moving when they come.
 */
function renderActions(entry: ShownEntry, context: RowContext, tabindex: number, shown: boolean) {
  return html`<span class="actions"
    >${shown ? [renderReactButton(entry, context, tabindex), renderMenuButton(entry, context, tabindex)] : nothing}</span
  >`;
}

/** Offers the quick reactions with a mouse or the keyboard; on touch the long press menu does. */
function renderReactButton(entry: ShownEntry, { t, openReactions }: RowContext, tabindex: number) {
  return html`<button
    type="button"
    class="react"
    tabindex=${tabindex}
    part="reaction-button"
    aria-label=${t.t('reaction.add')}
    title=${t.t('reaction.add')}
    aria-haspopup="menu"
    @click=${(event: Event) => openReactions(entry, event.currentTarget as HTMLElement)}
  >
    ${icons.emoji}
  </button>`;
}

/** Opens the actions from the keyboard or with a mouse; on touch a long press does. */
function renderMenuButton(entry: ShownEntry, { t, openMenu }: RowContext, tabindex: number) {
  return html`<button
    type="button"
    class="more"
    tabindex=${tabindex}
    part="message-menu-button"
    aria-label=${t.t('message.actions')}
    aria-haspopup="menu"
    @click=${(event: Event) => openMenu(entry, event.currentTarget as HTMLElement)}
  >
    ${icons.more}
  </button>`;
}

/**
 * What a message says (see `renderBody`), or that it was recalled. Its links and buttons are
 * in the Tab order only while the message is `tabbable`.
 */
export function renderBubbleContent(entry: ShownEntry, context: RowContext, tabbable = true) {
  const { body } = entry;
  const { t, me, nameOf } = context;
  switch (body.type) {
    case 'system':
    case 'reaction':
      return nothing;
    case 'recalled': {
      const byMe = body.by === me;
      const reEdit = byMe && !body.moderated ? context.reEdit(entry) : null;
      const notice = body.moderated
        ? t.t('body.removed')
        : byMe
          ? t.t('body.youRecalled')
          : t.t('body.recalledBy', { name: nameOf(body.by) });
      return html`<span class="text recalled">${notice}</span
        >${reEdit ? html` <button type="button" class="re-edit" tabindex=${tabbable ? 0 : -1} @click=${reEdit}>${t.t('message.reEdit')}</button>` : nothing}`;
    }
    default:
      return renderBody(body, { t, conversationId: context.conversationId, tabbable, openHistory: context.openHistory }, {
        seq: entry.seq,
        own: entry.senderId === me || context.aliases.has(entry.senderId),
        group: context.group,
        played: entry.played,
        playedCount: entry.playedCount,
      });
  }
}

/** The quoted message of a reply; choosing it scrolls there (loading history if needed). */
function renderQuote(quote: ReplyRef, { t, nameOf, me, reveal }: RowContext, tabindex: number) {
  const sender = quote.senderId === me ? t.t('you') : nameOf(quote.senderId);
  const excerpt = quoteText(quote, t);
  return html`<button
    type="button"
    class="quote"
    tabindex=${tabindex}
    part="quote"
    aria-label=${t.t('message.quoteLabel', { name: sender, text: excerpt })}
    @click=${() => reveal(quote.seq)}
  >
    <span class="quote-sender"><bdi>${sender}</bdi></span>
    <span class="quote-text" dir="auto">${excerpt}</span>
  </button>`;
}

function renderState(entry: ShownEntry, { t, receipt }: RowContext) {
  if (entry.status === 'pending') {
    return html`<span class="state" role="img" aria-label=${t.t('sending')} title=${t.t('sending')}
      >${icons.pending}</span
    >`;
  }
  if (entry.status === 'failed' || entry.seq === null || entry.body.type === 'recalled') return nothing;
  const known = receipt(entry.seq);
  if (known?.kind === 'group') {
    return known.readBy > 0
      ? html`<span class="state read-by">${t.t('receipt.readBy', { count: known.readBy })}</span>`
      : html`<span class="state sent" role="img" aria-label=${t.t('receipt.sent')}>${icons.check}</span>`;
  }
  const state = known?.state ?? 'sent';
  // Three shapes, so that no state is told by colour alone: one tick, two ticks, a ticked disc.
  const icon = state === 'sent' ? icons.check : state === 'delivered' ? icons.doneAll : icons.readMark;
  return html`<span class="state ${state}" role="img" aria-label=${t.t(`receipt.${state}`)} title=${t.t(`receipt.${state}`)}
    >${icon}</span
  >`;
}

function renderFailure(entry: ShownEntry, { t, retry, discard }: RowContext, tabindex: number) {
  return html`<div class="failure" part="failure">
    <span class="reason">${icons.error} ${t.t('notSent')}${entry.error ? html`: ${t.error(entry.error.code)}` : nothing}</span>
    <button type="button" class="retry" tabindex=${tabindex} @click=${() => retry(entry.clientId)}>${t.t('retry')}</button>
    <button type="button" class="discard" tabindex=${tabindex} @click=${() => discard(entry.clientId)}>${t.t('discard')}</button>
  </div>`;
}
