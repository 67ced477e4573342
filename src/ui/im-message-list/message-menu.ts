import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CachedConversation, ChatClient } from '../../client/index.js';
import { limits } from '../../protocol/index.js';
import { conversationTitle, errorText, type NameOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import type { ImMenu, MenuItem, MenuSelectDetail } from '../im-menu/im-menu.js';
import '../im-menu/im-menu.js';
import type { ShownEntry } from './timeline-rows.js';
import { html } from '../registry.js';
import { emitFrom } from '../base/events.js';

/** What the composer is asked to do: quote a message, edit one, or take back a recalled text. */
export type ComposeRequest =
  | { mode: 'reply'; entry: ShownEntry }
  | { mode: 'edit'; entry: ShownEntry }
  | { mode: 'text'; text: string };

/** How many recent conversations "Forward to…" offers. */
const forwardTargets = 8;

export interface MessageMenuDeps {
  client: () => ChatClient | undefined;
  conversation: () => CachedConversation | null;
  translator: () => Translator | undefined;
  nameOf: () => NameOf;
  me: () => string;
  /** Finds the menu element in the host's shadow root. */
  menu: () => ImMenu | null;
}

/**
 * The actions of one message (reply, edit, copy, forward, recall, delete for me), offered
 * in a context menu, and what they need: the forward targets, the text of a recalled
 * message for "re-edit" (kept in memory for this session only), and a line that says why
 * an action failed. Composer requests leave as `im-compose` events.
 */
export class MessageMenu implements ReactiveController {
  #entry: ShownEntry | null = null;
  #items: MenuItem[] = [];
  #forwarding = false;
  #forwardTo: CachedConversation[] = [];
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
    return html`${this.#failure ? html`<p class="action-failure" role="alert">${this.#failure}</p>` : nothing}
      <im-menu
        .label=${t.t(this.#forwarding ? 'message.forwardTo' : 'message.actions')}
        .items=${this.#items}
        @im-menu-select=${(event: CustomEvent<MenuSelectDetail>) => void this.#choose(event.detail.id)}
      ></im-menu>`;
  }

  open(entry: ShownEntry, at: { x: number; y: number } | HTMLElement): void {
    const t = this.deps.translator();
    if (!t) return;
    this.#entry = entry;
    this.#forwarding = false;
    this.#failure = null;
    this.#items = this.#itemsFor(entry, t);
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.#show(at));
  }

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
    if (body.type === 'text' || body.type === 'image' || body.type === 'file' || body.type === 'contact') {
      items.push({ id: 'forward', label: t.t('message.forward') });
    }
    if ((own && inWindow) || manager) items.push({ id: 'recall', label: t.t('message.recall'), danger: true });
    items.push({ id: 'delete', label: t.t('message.deleteForMe'), danger: true });
    return items;
  }

  async #choose(id: string): Promise<void> {
    const entry = this.#entry;
    const client = this.deps.client();
    const conversation = this.deps.conversation();
    if (!entry || !client || !conversation || entry.seq === null) return;
    try {
      if (this.#forwarding) {
        const target = this.#forwardTo.find((candidate) => candidate.id === id);
        if (target) await client.messages.forward({ ...entry, conversationId: conversation.id, seq: entry.seq }, target.id);
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
    const list = (await client.cache?.conversationList()) ?? [];
    const nameOf = this.deps.nameOf();
    this.#forwardTo = list
      .filter((candidate) => candidate.id !== current.id && !(candidate.type === 'group' && candidate.membership !== 'active'))
      .slice(0, forwardTargets);
    this.#forwarding = true;
    this.#entry = entry;
    this.#items = this.#forwardTo.map((candidate) => ({ id: candidate.id, label: conversationTitle(candidate, nameOf) }));
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
