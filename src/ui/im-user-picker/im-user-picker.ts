import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ChatError } from '../../client/index.js';
import type { User } from '../../protocol/index.js';
import { PeopleSearchController } from '../controllers/people-search-controller.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-user-picker.styles.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

/** The detail of `im-user-pick`: the person chosen to share. */
export interface UserPickDetail {
  user: User;
}

/**
 * A modal dialog to find a person and start (or reopen) the single chat with them, or,
 * with `purpose="contact"`, to choose whose contact to share.
 *
 * @summary New-chat dialog.
 * @event im-select - The chat with the chosen person is ready. Detail: `{ conversationId }`.
 * @event im-user-pick - `purpose="contact"`: a person was chosen. Detail: `{ user }`.
 * @csspart dialog - The dialog box.
 */
@imElement('im-user-picker')
export class ImUserPicker extends ImElement {
  static override styles = styles;

  /** What choosing a person does: open the chat with them, or pick their contact to share. */
  @property() purpose: 'chat' | 'contact' = 'chat';

  /** Why starting the chat failed (an error code), or null. */
  @state() private error: string | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input') private input!: HTMLInputElement;

  #people = new PeopleSearchController(this, () => this.client);

  /** Opens the dialog with everyone listed; waits for a first render the picker has not had yet. */
  async show(): Promise<void> {
    await this.updateComplete;
    if (this.dialog.open) return;
    this.dialog.showModal();
    this.input.value = '';
    this.input.focus();
    this.error = null;
    void this.#people.run('');
  }

  close(): void {
    this.dialog.close();
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    const people = this.#people;
    const error = this.error ?? people.error;
    return html`<dialog part="dialog" aria-labelledby="title" @close=${() => people.cancel()}>
      <div class="header">
        <h2 id="title" aria-level=${this.headingLevel()}>${t.t(this.purpose === 'contact' ? 'contact.pickTitle' : 'newChat')}</h2>
        <button type="button" class="icon-button" aria-label=${t.t('close')} @click=${this.close}>
          ${icons.close}
        </button>
      </div>
      <label class="visually-hidden" for="search">${t.t('searchPeople')}</label>
      <input
        id="search"
        type="search"
        autocomplete="off"
        placeholder=${t.t('searchPeople')}
        @input=${() => people.schedule(this.input.value)}
      />
      <div class="results" role="status">
        ${error
          ? html`<p class="note error">${t.error(error)}</p>`
          : people.searched && people.results.length === 0
            ? html`<p class="note">${t.t('noPeople')}</p>`
            : nothing}
      </div>
      <ul aria-label=${t.t('people')}>
        ${people.results.map(
          (user) => html`<li>
            <button type="button" class="person" @click=${() => this.#pick(user)}>
              <im-avatar .name=${user.name} .userId=${user.id} .src=${user.avatar}></im-avatar>
              <span class="name">${user.name}</span>
            </button>
          </li>`,
        )}
      </ul>
    </dialog>`;
  }

  async #pick(user: User): Promise<void> {
    if (this.purpose === 'contact') {
      this.close();
      this.emit('im-user-pick', { user }, toParentOnly);
      return;
    }
    try {
      const conversationId = await this.client!.startConversation(user.id);
      this.close();
      this.emit('im-select', { conversationId }, toParentOnly);
    } catch (error) {
      this.error = error instanceof ChatError ? error.code : 'unknown';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-user-picker': ImUserPicker;
  }
}
