import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import Database from 'emoji-picker-element/database.js';
import type { Emoji, NativeEmoji } from 'emoji-picker-element/shared.js';
import type { Translator } from '../i18n/index.js';
import { shared } from '../styles/tokens.js';
import { imElement } from '../registry.js';
import { emitFrom } from '../base/events.js';

export interface EmojiPickDetail {
  unicode: string;
}

/** Emoji groups of the Unicode data, in display order (2 is skin-tone components: not shown). */
const groups = [0, 1, 3, 4, 5, 6, 7, 8, 9] as const;
const groupIcons: Record<(typeof groups)[number], string> = {
  0: '😀', 1: '👋', 3: '🐱', 4: '🍎', 5: '🏠', 6: '⚽', 7: '💡', 8: '🔣', 9: '🏁',
};
const recentCount = 24;
/** Emoji per grid row, for arrow-key movement (the grid's CSS uses the same count). */
const columns = 8;

/**
 * An emoji picker: recently used, nine categories and search, from the Unicode emoji data
 * (emoji-picker-element's database, kept in IndexedDB and refreshed from `dataSource`).
 * The UI is our own, styled with constructable stylesheets, so that it works under a
 * strict `style-src`. Arrow keys move in the grid; Enter picks; Escape closes.
 *
 * @summary Emoji picker.
 * @event im-emoji-pick - An emoji was chosen. Detail: `{ unicode }`.
 * @event im-emoji-close - Escape was pressed.
 * @csspart emoji - Every emoji button.
 */
@imElement('im-emoji-picker')
export class ImEmojiPicker extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: flex;
        flex-direction: column;
        width: min(320px, calc(100vw - 16px));
        height: 300px;
        background: var(--im-color-bg);
        color: var(--im-color-text);
        border: 1px solid var(--im-color-border);
        border-radius: 10px;
        box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
        overflow: hidden;
      }
      input {
        margin: 8px;
        padding: 6px 10px;
        border: 1px solid var(--im-color-border);
        border-radius: 8px;
        background: var(--im-color-surface);
        color: inherit;
        font: inherit;
      }
      [role='tablist'] {
        display: flex;
        border-bottom: 1px solid var(--im-color-border);
      }
      [role='tab'] {
        flex: 1;
        padding: 4px 0;
        border: 0;
        border-bottom: 2px solid transparent;
        background: none;
        font-size: 18px;
        cursor: pointer;
      }
      [role='tab'][aria-selected='true'] {
        border-bottom-color: var(--im-color-accent-text);
      }
      .grid {
        flex: 1;
        display: grid;
        grid-template-columns: repeat(8, 1fr);
        align-content: start;
        gap: 2px;
        padding: 6px;
        overflow-x: hidden;
        overflow-y: auto;
      }
      .grid button {
        min-width: 0;
        padding: 0;
        aspect-ratio: 1;
        border: 0;
        border-radius: 6px;
        background: none;
        font-size: 20px;
        line-height: 1;
        cursor: pointer;
      }
      .grid button:hover,
      .grid button:focus-visible {
        background: var(--im-color-surface-hover);
        outline: none;
      }
      .note {
        grid-column: 1 / -1;
        color: var(--im-color-muted);
        text-align: center;
        padding: 16px 0;
      }
    `,
  ];

  @property({ attribute: false }) translator?: Translator;
  /** Where the emoji data (JSON) comes from; cached in IndexedDB after the first load. */
  @property() dataSource = '';
  /** Emoji data locale: `en` or `zh` (names and search words). */
  @property() locale = 'en';

  @state() private group: number | 'recent' = 0;
  @state() private emoji: Emoji[] = [];
  @state() private search = '';
  @state() private failed = false;

  @query('input') private input!: HTMLInputElement;
  #database: Database | null = null;
  #request = 0;

  override focus(): void {
    this.input?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.#database?.close();
    this.#database = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('dataSource') || changed.has('locale')) && this.dataSource) {
      void this.#database?.close();
      this.#database = new Database({ dataSource: this.dataSource, locale: this.locale });
      void this.#load();
    }
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const tabs: Array<{ id: number | 'recent'; icon: string; label: string }> = [
      { id: 'recent', icon: '🕘', label: t.t('emoji.recent') },
      ...groups.map((group) => ({ id: group, icon: groupIcons[group], label: t.t(`emoji.group.${group}`) })),
    ];
    return html`<input
        type="search"
        aria-label=${t.t('emoji.search')}
        placeholder=${t.t('emoji.search')}
        .value=${this.search}
        @input=${this.#onSearch}
        @keydown=${this.#onKeydown}
      />
      ${this.search
        ? nothing
        : html`<div role="tablist" aria-label=${t.t('emoji.categories')}>
            ${tabs.map(
              (tab) => html`<button
                role="tab"
                aria-selected=${this.group === tab.id ? 'true' : 'false'}
                aria-controls="emoji-panel"
                aria-label=${tab.label}
                title=${tab.label}
                @click=${() => this.#show(tab.id)}
              >
                ${tab.icon}
              </button>`,
            )}
          </div>`}
      <!-- Buttons, not grid cells: a grid's children must be rows of cells. Arrow keys still move in two dimensions. -->
      <div
        id="emoji-panel"
        class="grid"
        role=${this.search ? 'group' : 'tabpanel'}
        aria-label=${t.t('emoji.label')}
        @keydown=${this.#onKeydown}
      >
        ${this.failed ? html`<p class="note">${t.t('emoji.unavailable')}</p>` : nothing}
        ${!this.failed && this.emoji.length === 0
          ? html`<p class="note">${t.t(this.search ? 'emoji.none' : this.group === 'recent' ? 'emoji.noRecent' : 'emoji.loading')}</p>`
          : nothing}
        ${repeat(
          this.emoji,
          (emoji) => ('unicode' in emoji ? emoji.unicode : emoji.name),
          (emoji) =>
            'unicode' in emoji
              ? html`<button part="emoji" aria-label=${emoji.annotation} title=${emoji.annotation} @click=${() => this.#pick(emoji)}>
                  ${emoji.unicode}
                </button>`
              : nothing,
        )}
      </div>`;
  }

  async #load(): Promise<void> {
    const database = this.#database;
    if (!database) return;
    try {
      await database.ready();
      this.failed = false;
      // Start where the user's favourites are, if they have any.
      const recent = await database.getTopFavoriteEmoji(1);
      await this.#show(recent.length > 0 ? 'recent' : 0);
    } catch {
      this.failed = true;
    }
  }

  async #show(group: number | 'recent'): Promise<void> {
    const database = this.#database;
    if (!database) return;
    this.group = group;
    const request = ++this.#request;
    const emoji = group === 'recent' ? await database.getTopFavoriteEmoji(recentCount) : await database.getEmojiByGroup(group);
    if (request === this.#request) this.emoji = emoji;
  }

  async #onSearch(event: Event): Promise<void> {
    this.search = (event.target as HTMLInputElement).value;
    const database = this.#database;
    if (!database) return;
    if (!this.search.trim()) return this.#show(this.group);
    const request = ++this.#request;
    const found = await database.getEmojiBySearchQuery(this.search.trim());
    if (request === this.#request) this.emoji = found;
  }

  #pick(emoji: NativeEmoji): void {
    void this.#database?.incrementFavoriteEmojiCount(emoji.unicode);
    emitFrom(this, 'im-emoji-pick', { unicode: emoji.unicode });
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      emitFrom(this, 'im-emoji-close', {});
      return;
    }
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.grid button')];
    if (buttons.length === 0) return;
    const from = buttons.indexOf(this.shadowRoot?.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = {
      ArrowRight: from + 1,
      ArrowLeft: from - 1,
      ArrowDown: from < 0 ? 0 : from + columns,
      ArrowUp: from - columns,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = moves[event.key]!;
    if (next < 0 && from >= 0 && from < columns) this.input.focus();
    else buttons[Math.max(0, Math.min(next, buttons.length - 1))]?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-emoji-picker': ImEmojiPicker;
  }
}
