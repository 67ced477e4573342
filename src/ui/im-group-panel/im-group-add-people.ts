import { css, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { limits, type GroupConversation, type User } from '../../protocol/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { ActionTracker, errorNote } from './actions.js';
import { PeopleSearchController } from '../controllers/people-search-controller.js';
import { dialogStyles } from '../styles/dialog.js';
import { partStyles } from './im-group-panel.styles.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

/**
 * A dialog to find people and add several of them to a group at once.
 *
 * @summary "Add people" dialog of the group panel.
 * @event im-added - The chosen people were added.
 */
@imElement('im-group-add-people')
export class ImGroupAddPeople extends ImElement {
  static override styles = [
    partStyles,
    dialogStyles,
    css`
      dialog {
        width: min(400px, calc(100% - 32px));
        max-height: min(560px, calc(100% - 32px));
      }
      .search,
      .chosen,
      .status,
      footer {
        padding: 4px 18px;
      }
      .chosen {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 0;
        list-style: none;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 2px 4px 2px 10px;
        border: 1px solid var(--im-color-border);
        border-radius: 999px;
        background: var(--im-color-surface);
        cursor: pointer;
      }
      .chip svg {
        width: 14px;
        height: 14px;
        fill: currentColor;
      }
      .results {
        flex: 1;
        min-height: 80px;
        margin: 0;
        padding: 4px 0;
        list-style: none;
        overflow-y: auto;
      }
      .results label {
        padding: 6px 18px;
        cursor: pointer;
      }
      .results label:hover {
        background: var(--im-color-surface-hover);
      }
      footer {
        display: flex;
        flex-direction: column;
        padding-bottom: 14px;
        border-top: 1px solid var(--im-color-border);
      }
      footer .actions {
        justify-content: flex-end;
      }
    `,
  ];

  @property({ attribute: false }) conversation?: GroupConversation;

  /** People known to be members already (the cached part of the list). */
  @property({ attribute: false }) memberIds: ReadonlySet<string> = new Set();

  @state() private chosen = new Map<string, User>();
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input[type=search]') private input!: HTMLInputElement;

  #actions = new ActionTracker(this);
  #people = new PeopleSearchController(this, () => this.client);

  show(): void {
    this.chosen = new Map();
    this.#actions.clear('add');
    this.dialog.showModal();
    this.input.value = '';
    this.input.focus();
    void this.#people.run('');
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const busy = this.#actions.busy('add');
    const me = this.session?.cache?.userId;
    const people = this.#people;
    return html`<dialog aria-labelledby="add-title" @close=${() => people.cancel()}>
      <div class="header">
        <h2 id="add-title" aria-level=${this.headingLevel()}>${t.t('addPeople')}</h2>
        <button type="button" class="icon-button" aria-label=${t.t('close')} @click=${() => this.dialog.close()}>
          ${icons.close}
        </button>
      </div>
      <div class="search">
        <label class="visually-hidden" for="search">${t.t('searchPeople')}</label>
        <input
          id="search"
          type="search"
          autocomplete="off"
          placeholder=${t.t('searchPeople')}
          maxlength=${limits.searchQueryLength}
          @input=${() => people.schedule(this.input.value)}
        />
      </div>
      ${this.chosen.size > 0
        ? html`<ul class="chosen" aria-label=${t.t('groupPanel.selected', { count: this.chosen.size })}>
            ${[...this.chosen.values()].map(
              (user) => html`<li>
                <button
                  type="button"
                  class="chip"
                  aria-label=${t.t('groupPanel.unselect', { name: user.name })}
                  @click=${() => this.#toggle(user, false)}
                >
                  ${user.name} ${icons.close}
                </button>
              </li>`,
            )}
          </ul>`
        : nothing}
      <div class="status" role="status">
        ${people.error
          ? html`<p class="error">${t.error(people.error)}</p>`
          : people.searched && people.results.length === 0
            ? html`<p class="note">${t.t('noPeople')}</p>`
            : nothing}
      </div>
      <ul class="results" aria-label=${t.t('people')}>
        ${people.results
          .filter((user) => user.id !== me)
          .map((user) => {
            const member = this.memberIds.has(user.id);
            return html`<li>
              <label class="person">
                <input
                  type="checkbox"
                  .checked=${member || this.chosen.has(user.id)}
                  ?disabled=${member || busy}
                  @change=${(event: Event) => this.#toggle(user, (event.target as HTMLInputElement).checked)}
                />
                <im-avatar .name=${user.name} .userId=${user.id} .src=${user.avatar}></im-avatar>
                <span class="name">${user.name}</span>
                ${member ? html`<span class="badge">${t.t('groupPanel.alreadyMember')}</span>` : nothing}
              </label>
            </li>`;
          })}
      </ul>
      <footer>
        ${errorNote(t, this.#actions.error('add'))}
        <div class="actions">
          <button type="button" class="button" @click=${() => this.dialog.close()}>${t.t('cancel')}</button>
          <button
            type="button"
            class="button primary add"
            ?disabled=${busy || this.chosen.size === 0}
            @click=${this.#add}
          >
            ${this.chosen.size > 0 ? t.t('groupPanel.addCount', { count: this.chosen.size }) : t.t('groupPanel.add')}
          </button>
        </div>
      </footer>
    </dialog>`;
  }

  #toggle(user: User, chosen: boolean): void {
    const next = new Map(this.chosen);
    if (chosen) next.set(user.id, user);
    else next.delete(user.id);
    this.chosen = next;
  }

  async #add(): Promise<void> {
    const group = this.conversation;
    const groups = this.client?.groups;
    if (!group || !groups || this.chosen.size === 0) return;
    const userIds = [...this.chosen.keys()];
    const ok = await this.#actions.run('add', () => groups.addMembers(group.id, userIds));
    if (!ok) return;
    this.dialog.close();
    this.emit('im-added', {}, toParentOnly);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-add-people': ImGroupAddPeople;
  }
}
