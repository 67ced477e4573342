import { html, nothing, type PropertyValues } from 'lit';
import { query, state } from 'lit/decorators.js';
import { ChatError, type CachedConversation } from '../../client/index.js';
import { plainText, type Message, type User } from '../../protocol/index.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { conversationTitle, namesFrom, type NameOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import { excerptParts, mergeResults } from './excerpt.js';
import { styles } from './im-search.styles.js';
import { imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

export interface OpenMessageDetail {
  conversationId: string;
  seq: number;
}

/** What the server part of a search is doing. */
type ServerState =
  | { kind: 'idle' | 'searching' }
  | { kind: 'done'; cursor: string | null }
  | { kind: 'failed'; code: string };

/** Pause in typing before a search runs. */
const pauseMs = 200;
/** Matches the cache is asked for: it answers at once, so a screenful is enough. */
const localLimit = 30;

/**
 * Message search: results from this device's cache appear at once, then the server's
 * (older messages, and those never loaded here) join them. Arrow keys move through the
 * results, Enter opens one. Offline, the cache's results stand alone, with a note.
 *
 * @summary Search dialog over messages.
 * @event im-open-message - A result was chosen. Detail: `{ conversationId, seq }`.
 * @csspart dialog - The dialog box.
 * @csspart result - One result.
 */
@imElement('im-search')
export class ImSearch extends ImElement {
  static override styles = styles;

  @state() private query = '';
  @state() private local: Message[] = [];
  @state() private remote: Message[] = [];
  @state() private server: ServerState = { kind: 'idle' };
  @state() private active = -1;
  /** The conversation the search may be narrowed to (the open one), and whether it is. */
  @state() private scope: string | null = null;
  @state() private scoped = false;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input[type="search"]') private input!: HTMLInputElement;

  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Identifies the latest search, so that slower answers to older ones are dropped. */
  #latest = 0;

  #names = new LiveQueryController<{ users: User[]; conversations: CachedConversation[] }>(this, {
    query: () => {
      const cache = this.session?.cache;
      if (!cache) return null;
      return async () => {
        const [users, conversations] = await Promise.all([cache.users(), cache.allConversations()]);
        return { users, conversations };
      };
    },
    deps: () => [this.session?.cache],
  });

  /**
   * Opens the dialog. With the id of the open conversation, it offers to search only there.
   *
   * @example
   * search.show({ conversationId: 'g_team' });
   */
  show(options: { conversationId?: string | null; scoped?: boolean } = {}): void {
    this.scope = options.conversationId ?? null;
    this.scoped = !!this.scope && !!options.scoped;
    this.dialog.showModal();
    this.input.focus();
    this.input.select();
    if (this.query) this.#run();
  }

  close(): void {
    this.dialog.close();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('active') && this.active >= 0) {
      this.renderRoot.querySelector(`#result-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const results = this.#results();
    const names = this.#names.value;
    const nameOf = namesFrom(names?.users ?? []);
    const conversations = new Map(names?.conversations.map((c) => [c.id, c]));
    const scopeConversation = this.scope ? conversations.get(this.scope) : undefined;
    return html`<dialog part="dialog" aria-labelledby="title" @close=${() => clearTimeout(this.#timer)}>
      <div class="header">
        <h2 id="title" aria-level=${this.headingLevel()}>${t.t('search.title')}</h2>
        <button type="button" class="icon-button" aria-label=${t.t('close')} @click=${this.close}>
          ${icons.close}
        </button>
      </div>
      <input
        type="search"
        role="combobox"
        autocomplete="off"
        aria-label=${t.t('search.title')}
        placeholder=${t.t('search.placeholder')}
        aria-controls="results"
        aria-expanded=${results.length > 0 ? 'true' : 'false'}
        aria-activedescendant=${this.active >= 0 ? `result-${this.active}` : nothing}
        .value=${this.query}
        @input=${this.#onInput}
        @keydown=${this.#onKeydown}
      />
      ${scopeConversation
        ? html`<label class="scope">
            <input type="checkbox" .checked=${this.scoped} @change=${this.#onScopeChange} />
            ${t.t('search.onlyIn', { name: conversationTitle(scopeConversation, nameOf) })}
          </label>`
        : nothing}
      <div class="status" role="status">${this.#renderStatus(t, results.length)}</div>
      <ul id="results" role="listbox" aria-label=${t.t('search.results')}>
        ${results.map((message, index) =>
          this.#renderResult(message, index, t, nameOf, conversations.get(message.conversationId)),
        )}
      </ul>
      ${this.server.kind === 'done' && this.server.cursor
        ? html`<button type="button" class="secondary more" @click=${this.#more}>
            ${t.t('search.more')}
          </button>`
        : nothing}
    </dialog>`;
  }

  #renderStatus(t: Translator, count: number) {
    const server = this.server;
    if (!this.query.trim()) return nothing;
    if (server.kind === 'failed') {
      const why = server.code === 'offline' ? t.t('search.offline') : t.error(server.code);
      return html`<p class="note">${why} ${t.t('search.localOnly')}</p>`;
    }
    if (server.kind === 'searching') return html`<p class="note">${t.t('search.searching')}</p>`;
    if (server.kind === 'done' && count === 0) return html`<p class="note">${t.t('search.noResults')}</p>`;
    return nothing;
  }

  #renderResult(
    message: Message,
    index: number,
    t: Translator,
    nameOf: NameOf,
    conversation: CachedConversation | undefined,
  ) {
    const me = this.session?.user?.id;
    const sender = message.senderId === me ? t.t('you') : nameOf(message.senderId);
    const text = message.body.type === 'text' ? plainText(message.body.text) : '';
    return html`<li
      id=${`result-${index}`}
      role="option"
      part="result"
      class="result"
      aria-selected=${index === this.active ? 'true' : 'false'}
      @click=${() => this.#choose(message)}
      @mousemove=${() => (this.active = index)}
    >
      <span class="meta">
        <span class="conversation">${conversation ? conversationTitle(conversation, nameOf) : sender}</span>
        <time datetime=${new Date(message.createdAt).toISOString()}>${t.listTime(message.createdAt)}</time>
      </span>
      <span class="excerpt">
        <span class="sender">${sender}:</span>
        ${excerptParts(text, this.query).map((part) =>
          part.match ? html`<mark>${part.text}</mark>` : part.text,
        )}
      </span>
    </li>`;
  }

  #results(): Message[] {
    return mergeResults(this.local, this.remote);
  }

  #onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(), pauseMs);
  }

  #onScopeChange(event: Event): void {
    this.scoped = (event.target as HTMLInputElement).checked;
    this.#run();
  }

  #onKeydown(event: KeyboardEvent): void {
    const count = this.#results().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + count) % count;
    } else if (event.key === 'Enter') {
      event.preventDefault();
      clearTimeout(this.#timer);
      const chosen = this.#results()[this.active];
      if (chosen) this.#choose(chosen);
      else this.#run();
    }
  }

  /** Searches the cache now, then the server; only the latest search may show its answers. */
  #run(): void {
    clearTimeout(this.#timer);
    const search = ++this.#latest;
    const query = this.query.trim();
    const conversationId = this.scoped && this.scope ? this.scope : undefined;
    this.local = [];
    this.remote = [];
    this.active = -1;
    if (!query) {
      this.server = { kind: 'idle' };
      return;
    }
    this.server = { kind: 'searching' };
    const cache = this.session?.cache;
    if (cache) {
      void cache.searchMessages(query, { conversationId, limit: localLimit }).then(
        (found) => {
          if (search !== this.#latest) return;
          this.local = found;
          if (this.active < 0 && found.length > 0) this.active = 0;
        },
        () => undefined, // the server's answer still comes
      );
    }
    void this.#fetch(search, { conversationId });
  }

  #more(): void {
    if (this.server.kind !== 'done' || !this.server.cursor) return;
    const conversationId = this.scoped && this.scope ? this.scope : undefined;
    void this.#fetch(this.#latest, { conversationId, cursor: this.server.cursor });
  }

  async #fetch(search: number, options: { conversationId?: string; cursor?: string }): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const page = await client.searchMessages(this.query.trim(), options);
      if (search !== this.#latest) return;
      this.remote = [...this.remote, ...page.messages];
      this.server = { kind: 'done', cursor: page.cursor };
      if (this.active < 0 && this.#results().length > 0) this.active = 0;
    } catch (error) {
      if (search !== this.#latest) return;
      this.server = { kind: 'failed', code: error instanceof ChatError ? error.code : 'unknown' };
    }
  }

  #choose(message: Message): void {
    this.close();
    this.emit('im-open-message', { conversationId: message.conversationId, seq: message.seq }, toParentOnly);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-search': ImSearch;
  }
}
