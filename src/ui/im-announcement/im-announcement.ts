import { css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ChatError } from '../../client/index.js';
import type { GroupConversation } from '../../protocol/index.js';
import { shared } from '../styles/tokens.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/**
 * A group's announcement, pinned above its messages. Until the user confirms it ("Got
 * it") it shows open, in full (scrolling within a bounded height, so messages always stay
 * in view); once confirmed, on this device or another, it folds to one line that opens
 * again on demand. A new announcement opens it again.
 *
 * @summary Pinned group announcement.
 * @csspart announcement - The bar.
 * @csspart announcement-toggle - Opens and folds the announcement.
 * @csspart announcement-confirm - The "Got it" button.
 */
@imElement('im-announcement')
export class ImAnnouncement extends ImElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        align-items: flex-start;
        gap: 8px;
        margin: 0;
        padding: 8px 10px 8px 14px;
        border-bottom: 1px solid var(--im-color-border);
        background: var(--im-color-surface);
        font-size: 0.9em;
      }
      .toggle {
        flex: 1;
        min-width: 0;
        min-height: 24px;
        padding: 0;
        border: none;
        background: none;
        color: inherit;
        font: inherit;
        text-align: start;
        cursor: pointer;
      }
      .label {
        font-weight: 600;
        margin-inline-end: 6px;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .bar:not(.open) .toggle {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .bar:not(.open) .text {
        white-space: nowrap;
      }
      .bar.open .toggle {
        max-height: 30vh;
        overflow-y: auto;
      }
      .chevron {
        flex: none;
        display: inline-block;
        margin-inline-start: 4px;
        color: var(--im-color-muted);
        transition: transform 0.15s;
      }
      .bar.open .chevron {
        transform: rotate(180deg);
      }
      .confirm {
        flex: none;
        min-height: 32px;
        padding: 4px 12px;
        border: none;
        border-radius: calc(var(--im-radius) - 6px);
        background: var(--im-color-accent);
        color: var(--im-color-on-accent);
        font: inherit;
        font-weight: 600;
        cursor: pointer;
      }
      .error {
        margin: 0;
        padding: 4px 14px;
        color: var(--im-color-danger);
        font-size: 0.85em;
      }
      @media (prefers-reduced-motion: reduce) {
        .chevron {
          transition: none;
        }
      }
    `,
  ];

  /** The group, as the cache has it now. */
  @property({ attribute: false }) conversation?: GroupConversation;

  /** Open or folded by the user for this version; null: as its confirmation says. */
  @state() private opened: boolean | null = null;
  @state() private confirming = false;
  @state() private error: string | null = null;
  #shownSeq = -1;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const seq = this.conversation?.announcementSeq ?? 0;
    if (changed.has('conversation') && seq !== this.#shownSeq) {
      // A new announcement: shown as it should be, whatever was done with the previous one.
      this.#shownSeq = seq;
      this.opened = null;
      this.error = null;
    }
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group?.announcement) return nothing;
    const canConfirm = group.membership === 'active' && !group.dismissed && !group.announcementConfirmed;
    const open = this.opened ?? canConfirm;
    return html`<div class="bar ${open ? 'open' : ''}" part="announcement">
        <button
          type="button"
          class="toggle"
          part="announcement-toggle"
          aria-expanded=${open ? 'true' : 'false'}
          title=${open ? t.t('announcement.collapse') : t.t('announcement.expand')}
          @click=${() => (this.opened = !open)}
        >
          <span class="label">${t.t('groupAnnouncement')}</span><span class="text"><bdi>${group.announcement}</bdi></span>
        </button>
        <span class="chevron" aria-hidden="true">▾</span>
        ${canConfirm
          ? html`<button
              type="button"
              class="confirm"
              part="announcement-confirm"
              ?disabled=${this.confirming}
              @click=${() => this.#confirm(group)}
            >
              ${t.t('announcement.confirm')}
            </button>`
          : nothing}
      </div>
      <div role="status">${this.error ? html`<p class="error">${t.error(this.error)}</p>` : nothing}</div>`;
  }

  async #confirm(group: GroupConversation): Promise<void> {
    if (!this.client) return;
    this.confirming = true;
    this.error = null;
    try {
      await this.client.groups.confirmAnnouncement(group.id, group.announcementSeq);
      this.opened = null; // folds, as a confirmed announcement does
    } catch (error) {
      this.error = error instanceof ChatError ? error.code : 'unknown';
    } finally {
      this.confirming = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-announcement': ImAnnouncement;
  }
}
