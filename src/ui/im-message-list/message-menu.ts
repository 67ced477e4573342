import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CachedConversation, ChatClient } from '../../client/index.js';
import { isAttachment, limits } from '../../protocol/index.js';
import { errorText, type NameOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import type { ImMenu, MenuItem, MenuSelectDetail, QuickMenuItem } from '../im-menu/im-menu.js';
import type { EmojiPickDetail } from '../im-emoji-picker/im-emoji-picker.js';
import '../im-menu/im-menu.js';
import { isSelectable } from '../view-models/message-selection.js';
import { forwardTargets } from './forward-targets.js';
import type { ShownEntry } from './timeline-rows.js';
import { html } from '../registry.js';
import { emitFrom } from '../base/events.js';

/** What the composer is asked to do: quote a message, edit one, or take back a recalled text. */
export type ComposeRequest =
  | { mode: 'reply'; entry: ShownEntry }
  | { mode: 'edit'; entry: ShownEntry }
  | { mode: 'text'; text: string };

/** The reactions offered first; any other comes from the emoji picker. */
export const quickReactions = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
const reactPrefix = 'react:';
const moreReactions = 'react-more';

export interface MessageMenuDeps {
  client: () => ChatClient | undefined;
  conversation: () => CachedConversation | null;
  translator: () => Translator | undefined;
  nameOf: () => NameOf;
  me: () => string;
  /** Finds the menu element in the host's shadow root. */
  menu: () => ImMenu | null;
  /** Where the emoji data is served, for the picker of "More reactions". */
  emojiData: () => string;
  /** Enters selection mode with this message picked ("Select"). */
  select: (entry: ShownEntry) => void;
}

/**
 * The actions of one message (reactions, reply, edit, copy, forward, select, recall,
 * delete for me), offered in a context menu, and what they need: the quick reactions and the emoji
 * picker, who put a reaction, the forward targets, the text of a recalled message for
 * "re-edit" (kept in memory for this session only), and a line that says why an action
 * failed. Composer requests leave as `im-compose` events.
 */
export class MessageMenu implements ReactiveController {
  #entry: ShownEntry | null = null;
  #items: MenuItem[] = [];
  #quick: QuickMenuItem[] = [];
  /** The menu lists who put a reaction: its items do nothing. */
  #listing: string | null = null;
  /** The message whose reaction is being picked in the emoji picker. */
  #picking: ShownEntry | null = null;
  #forwarding = false;
  #failure: string | null = null;
  /** Recalled texts of this session, by `${conversationId}/${seq}`, for "re-edit". */
  readonly #recalled = new Map<string, string>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly deps: MessageMenuDeps,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  render() {
    const t = this.deps.translator();
    if (!t) return nothing;
    const label = this.#listing
      ? t.t('reaction.who', { emoji: this.#listing })
      : t.t(this.#forwarding ? 'message.forwardTo' : 'message.actions');
    return html`${this.#failure ? html`<p class="action-failure" role="alert">${this.#failure}</p>` : nothing}
      <im-menu
        .label=${label}
        .items=${this.#items}
        .quick=${this.#quick}
        @im-menu-select=${(event: CustomEvent<MenuSelectDetail>) => void this.#choose(event.detail.id)}
      ></im-menu>
      ${this.#picking
        ? html`<div class="reaction-picker" @click=${this.#onPickerBackdrop}>
            <im-emoji-picker
              role="dialog"
              aria-label=${t.t('reaction.more')}
              .translator=${t}
              .dataSource=${this.deps.emojiData()}
              .locale=${t.lang === 'zh-CN' ? 'zh' : 'en'}
              @im-emoji-pick=${this.#onPick}
              @im-emoji-close=${this.#closePicker}
            ></im-emoji-picker>
          </div>`
        : nothing}`;
  }

  /** The message's actions, its quick reactions first; `reactionsOnly` offers only those. */
  open(entry: ShownEntry, at: { x: number; y: number } | HTMLElement, reactionsOnly = false): void {
    const t = this.deps.translator();
    if (!t) return;
    this.#entry = entry;
    this.#forwarding = false;
    this.#listing = null;
    this.#failure = null;
    this.#quick = this.#quickFor(entry, t);
    this.#items = reactionsOnly ? [] : this.#itemsFor(entry, t);
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.#show(at));
  }

  /** Lists who put `emoji` on the message (a long press or right-click on its chip). */
  showReactors(entry: ShownEntry, emoji: string, at: { x: number; y: number } | HTMLElement): void {
    const t = this.deps.translator();
    const reaction = entry.reactions.find((item) => item.emoji === emoji);
    if (!t || !reaction) return;
    const nameOf = this.deps.nameOf();
    const me = this.deps.me();
    this.#entry = entry;
    this.#forwarding = false;
    this.#listing = emoji;
    this.#quick = [];
    this.#items = reaction.userIds.map((userId) => ({ id: userId, label: userId === me ? t.t('you') : nameOf(userId) }));
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.#show(at));
  }

  /** Puts the user's reaction on the message, or takes it back. */
  async react(entry: ShownEntry, emoji: string, on: boolean): Promise<void> {
    const client = this.deps.client();
    const conversation = this.deps.conversation();
    if (!client || !conversation || entry.seq === null) return;
    this.#failure = null;
    try {
      await client.messages.react(conversation.id, entry.seq, emoji, on);
    } catch (error) {
      const t = this.deps.translator();
      this.#failure = t ? errorText(error, t) : null;
    }
    this.host.requestUpdate();
  }

  /** Whether the user has put this emoji on the message. */
  #isMine(entry: ShownEntry, emoji: string): boolean {
    return entry.reactions.some((item) => item.emoji === emoji && item.userIds.includes(this.deps.me()));
  }

  #quickFor(entry: ShownEntry, t: Translator): QuickMenuItem[] {
    const { body } = entry;
    if (body.type !== 'text' && body.type !== 'image' && body.type !== 'file') return [];
    return [
      ...quickReactions.map((emoji) => ({
        id: `${reactPrefix}${emoji}`,
        label: emoji,
        name: t.t('reaction.with', { emoji }),
        checked: this.#isMine(entry, emoji),
      })),
      { id: moreReactions, label: '+', name: t.t('reaction.more'), checked: false },
    ];
  }

  async #openPicker(entry: ShownEntry): Promise<void> {
    await import('../im-emoji-picker/im-emoji-picker.js');
    this.#picking = entry;
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.shadowRoot?.querySelector<HTMLElement>('.reaction-picker im-emoji-picker')?.focus();
  }

  #onPick = (event: CustomEvent<EmojiPickDetail>): void => {
    const entry = this.#picking;
    this.#closePicker();
    if (entry) void this.react(entry, event.detail.unicode, !this.#isMine(entry, event.detail.unicode));
  };

  #onPickerBackdrop = (event: Event): void => {
    if (event.target === event.currentTarget) this.#closePicker();
  };

  #closePicker = (): void => {
    const entry = this.#picking;
    this.#picking = null;
    this.host.requestUpdate();
    if (entry) this.host.shadowRoot?.querySelector<HTMLElement>(`[data-key="${CSS.escape(entry.key)}"]`)?.focus();
  };

  /** Whether the user recalled this message in this session, so its text can be edited again. */
  canReEdit(entry: ShownEntry): boolean {
    return this.#recalled.has(`${this.deps.conversation()?.id}/${entry.seq}`);
  }

  /** Puts a recalled message's text back in the composer. */
  reEdit(entry: ShownEntry): void {
    const text = this.#recalled.get(`${this.deps.conversation()?.id}/${entry.seq}`);
    if (text !== undefined) this.#compose({ mode: 'text', text });
  }

  #show(at: { x: number; y: number } | HTMLElement): void {
    const menu = this.deps.menu();
    if (!menu) return;
    if (at instanceof HTMLElement) void menu.showFor(at);
    else void menu.show(at.x, at.y);
  }

  #itemsFor(entry: ShownEntry, t: Translator): MenuItem[] {
    const own = entry.senderId === this.deps.me();
    const { body } = entry;
    const conversation = this.deps.conversation();
    const manager = conversation?.type === 'group' && (conversation.role === 'owner' || conversation.role === 'admin');
    const inWindow = Date.now() - entry.createdAt < limits.recallWindowMs;
    const items: MenuItem[] = [{ id: 'reply', label: t.t('message.reply') }];
    if (own && body.type === 'text') items.push({ id: 'edit', label: t.t('message.edit') });
    if (body.type === 'text') items.push({ id: 'copy', label: t.t('message.copy') });
    if (body.type === 'text' || body.type === 'contact' || body.type === 'history' || isAttachment(body)) {
      items.push({ id: 'forward', label: t.t('message.forward') });
    }
    if (isSelectable(entry)) items.push({ id: 'select', label: t.t('message.select') });
    if ((own && inWindow) || manager) items.push({ id: 'recall', label: t.t('message.recall'), danger: true });
    items.push({ id: 'delete', label: t.t('message.deleteForMe'), danger: true });
    return items;
  }

  async #choose(id: string): Promise<void> {
    const entry = this.#entry;
    const client = this.deps.client();
    const conversation = this.deps.conversation();
    if (!entry || !client || !conversation || entry.seq === null) return;
    if (this.#listing) return;
    if (id.startsWith(reactPrefix)) {
      const emoji = id.slice(reactPrefix.length);
      return this.react(entry, emoji, !this.#isMine(entry, emoji));
    }
    if (id === moreReactions) return this.#openPicker(entry);
    try {
      if (this.#forwarding) {
        await client.messages.forward({ ...entry, conversationId: conversation.id, seq: entry.seq }, id);
        return;
      }
      switch (id) {
        case 'reply':
        case 'edit':
          return this.#compose({ mode: id, entry });
        case 'copy':
          if (entry.body.type === 'text') await navigator.clipboard.writeText(entry.body.text);
          return;
        case 'forward':
          return await this.#offerForwardTargets(entry, client, conversation);
        case 'select':
          return this.deps.select(entry);
        case 'recall': {
          const text = entry.body.type === 'text' ? entry.body.text : null;
          await client.messages.recall(conversation.id, entry.seq);
          if (text !== null && entry.senderId === this.deps.me()) this.#recalled.set(`${conversation.id}/${entry.seq}`, text);
          return;
        }
        case 'delete':
          if (entry.messageId) await client.messages.hideForMe(conversation.id, entry.messageId);
          return;
      }
    } catch (error) {
      const t = this.deps.translator();
      this.#failure = t ? errorText(error, t) : null;
      this.host.requestUpdate();
    }
  }

  async #offerForwardTargets(entry: ShownEntry, client: ChatClient, current: CachedConversation): Promise<void> {
    this.#items = await forwardTargets(client, current.id, this.deps.nameOf());
    this.#forwarding = true;
    this.#quick = [];
    this.#entry = entry;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const row = this.host.shadowRoot?.querySelector<HTMLElement>(`[data-key="${CSS.escape(entry.key)}"] .bubble`);
    const box = row?.getBoundingClientRect();
    void this.deps.menu()?.show(box?.left ?? 16, box?.bottom ?? 16, row ?? null);
  }

  /** Quotes the message in the composer, as the menu's Reply does. */
  reply(entry: ShownEntry): void {
    this.#compose({ mode: 'reply', entry });
  }

  #compose(request: ComposeRequest): void {
    emitFrom(this.host, 'im-compose', request);
  }
}
