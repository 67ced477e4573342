import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { shared } from '../styles/tokens.js';
import { imElement } from '../registry.js';
import { emitFrom } from '../base/events.js';

export interface MenuItem {
  id: string;
  label: string;
  /** Shown in the danger colour (recall, delete…). */
  danger?: boolean;
  /** A toggle (a toolbar shown or not): a `menuitemcheckbox`, on or off. */
  checked?: boolean;
}

/** An item of the row of small buttons above the others (the quick reactions). */
export interface QuickMenuItem {
  id: string;
  /** What the button shows (an emoji). */
  label: string;
  /** Its accessible name and tooltip. */
  name: string;
  /** On (the user's own reaction): shown highlighted and `aria-checked`. */
  checked: boolean;
}

export interface MenuSelectDetail {
  id: string;
}

/**
 * A context menu: opened at a point (right-click, long-press) or under a button, with the
 * keyboard behaviour of a WAI-ARIA menu (arrow keys, Home/End, Enter, Escape). Closing
 * returns focus to whatever had it before. One instance serves a whole component. A row
 * of small toggles (`quick`) may come first, as the quick reactions do.
 *
 * @summary Context menu.
 * @event im-menu-select - An item was chosen. Detail: `{ id }`.
 * @event im-menu-close - The menu closed (after a choice too).
 * @csspart menu - The menu box.
 * @csspart item - Every item.
 * @csspart quick-item - Every button of the quick row.
 */
@imElement('im-menu')
export class ImMenu extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        position: fixed;
        inset: 0;
        z-index: 20;
      }
      :host(:not([open])) {
        display: none;
      }
      .backdrop {
        position: fixed;
        inset: 0;
      }
      [role='menu'] {
        position: fixed;
        min-width: 11rem;
        max-width: min(18rem, calc(100vw - 16px));
        margin: 0;
        padding: 4px;
        list-style: none;
        background: var(--im-color-bg);
        color: var(--im-color-text);
        border: 1px solid var(--im-color-border);
        border-radius: 8px;
        box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
      }
      button {
        display: block;
        width: 100%;
        padding: 8px 12px;
        border: 0;
        border-radius: 6px;
        background: none;
        color: inherit;
        font: inherit;
        text-align: start;
        cursor: pointer;
      }
      button:hover,
      button:focus-visible {
        background: var(--im-color-surface-hover);
        outline: none;
      }
      button.danger {
        color: var(--im-color-danger);
      }
      button.toggle {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 12px;
      }
      /* A drawn tick: a character would join the item's accessible name. */
      button.toggle[aria-checked='true']::after {
        content: '';
        width: 5px;
        height: 10px;
        margin-inline-end: 4px;
        border: solid currentColor;
        border-width: 0 2px 2px 0;
        transform: translateY(-2px) rotate(45deg);
      }
      .quick {
        display: flex;
        gap: 2px;
      }
      .quick:not(:last-child) {
        padding-bottom: 4px;
        margin-bottom: 4px;
        border-bottom: 1px solid var(--im-color-border);
      }
      .quick button {
        width: auto;
        flex: 1;
        min-width: 36px;
        padding: 6px 4px;
        font-size: 20px;
        line-height: 1;
        text-align: center;
      }
      .quick button[aria-checked='true'] {
        background: var(--im-color-selected);
        box-shadow: inset 0 0 0 1px var(--im-color-accent);
      }
    `,
  ];

  @property({ attribute: false }) items: MenuItem[] = [];
  /** A row of small toggles shown first; arrow keys move through it like through the items. */
  @property({ attribute: false }) quick: QuickMenuItem[] = [];
  /** The menu's accessible name. */
  @property() label = '';
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private position = { x: 0, y: 0 };
  @query('[role="menu"]') private menu!: HTMLElement;

  #returnFocus: HTMLElement | null = null;

  /**
   * Opens at viewport coordinates, kept inside the viewport. With `bottomAbove`, a menu
   * with no room below `y` ends there instead (above its button, not over it).
   */
  async show(x: number, y: number, returnFocus: HTMLElement | null = null, bottomAbove?: number): Promise<void> {
    this.#returnFocus = returnFocus;
    this.position = { x, y };
    this.open = true;
    await this.updateComplete;
    const box = this.menu.getBoundingClientRect();
    const fitsBelow = y + box.height <= innerHeight - 8;
    const top = !fitsBelow && bottomAbove !== undefined && bottomAbove - box.height >= 8 ? bottomAbove - box.height : y;
    this.position = {
      x: Math.max(8, Math.min(x, innerWidth - box.width - 8)),
      y: Math.max(8, Math.min(top, innerHeight - box.height - 8)),
    };
    await this.updateComplete;
    this.#buttons()[0]?.focus();
  }

  /** Opens under (or above, if there is no room) an element, e.g. a "more" button. */
  showFor(anchor: HTMLElement): Promise<void> {
    const rect = anchor.getBoundingClientRect();
    return this.show(rect.left, rect.bottom + 4, anchor, rect.top - 4);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.#returnFocus?.focus();
    this.#returnFocus = null;
    emitFrom(this, 'im-menu-close', {});
  }

  protected override render() {
    if (!this.open) return nothing;
    return html`<div class="backdrop" @click=${this.close} @contextmenu=${this.#onBackdrop}></div>
      <ul
        role="menu"
        part="menu"
        aria-label=${this.label}
        @keydown=${this.#onKeydown}
      >
        ${this.quick.length > 0
          ? html`<li role="none" class="quick">
              ${this.quick.map(
                (item) => html`<button
                  role="menuitemcheckbox"
                  part="quick-item"
                  aria-checked=${item.checked ? 'true' : 'false'}
                  aria-label=${item.name}
                  title=${item.name}
                  tabindex="-1"
                  data-id=${item.id}
                  @click=${() => this.#choose(item.id)}
                >
                  ${item.label}
                </button>`,
              )}
            </li>`
          : nothing}
        ${this.items.map(
          (item) => html`<li role="none">
            <button
              role=${item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked=${item.checked === undefined ? nothing : item.checked ? 'true' : 'false'}
              part="item"
              class=${[item.danger ? 'danger' : '', item.checked === undefined ? '' : 'toggle'].join(' ').trim()}
              tabindex="-1"
              data-id=${item.id}
              @click=${() => this.#choose(item.id)}
            >
              ${item.label}
            </button>
          </li>`,
        )}
      </ul>`;
  }

  protected override updated(): void {
    // Placed through the CSSOM, which a strict style-src allows; a style attribute (what
    // styleMap writes on its first render) it blocks.
    if (!this.open) return;
    this.menu.style.left = `${this.position.x}px`;
    this.menu.style.top = `${this.position.y}px`;
  }

  #choose(id: string): void {
    this.close();
    emitFrom(this, 'im-menu-select', { id });
  }

  #onBackdrop(event: Event): void {
    event.preventDefault();
    this.close();
  }

  #buttons(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button[role^="menuitem"]')];
  }

  #onKeydown(event: KeyboardEvent): void {
    const buttons = this.#buttons();
    const index = buttons.indexOf(this.renderRoot.querySelector<HTMLButtonElement>('button:focus') ?? buttons[0]!);
    // Left and right move along the quick row, as its buttons read (reversed right to left).
    const forward = getComputedStyle(this).direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const backward = forward === 'ArrowRight' ? 'ArrowLeft' : 'ArrowRight';
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      [forward]: index + 1,
      [backward]: index - 1,
      Home: 0,
      End: buttons.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      const next = (moves[event.key]! + buttons.length) % buttons.length;
      buttons[next]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      this.close();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-menu': ImMenu;
  }
}
