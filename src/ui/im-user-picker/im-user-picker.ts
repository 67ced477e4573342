import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ChatError } from '../../client/index.js';
import type { User } from '../../protocol/index.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
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
  /** The people this user blocked, with their profiles, from the cache. */
  #blocked = new LiveQueryController<{ id: string; name: string; avatar: string | null }[]>(this, {
    query: () => {
      const cache = this.session?.cache;
      if (!cache) return null;
      return async () => {
        const [blocked, users] = await Promise.all([cache.blockedUsers(), cache.users()]);
        const byId = new Map(users.map((user) => [user.id, user]));
        return blocked.map(({ userId }) => byId.get(userId) ?? { id: userId, name: userId, avatar: null });
      };
    },
    deps: () => [this.session?.cache],
  });
  /** An unblock under way, by user id. */
  @state() private unblocking: string | null = null;

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
      ${this.purpose === 'contact' ? nothing : this.#renderBlocked()}
    </dialog>`;
  }

  /** Who the user blocked, each with "Unblock": where people are, so the way back is easy to find. */
  #renderBlocked() {
    const t = this.translator!;
    const blocked = this.#blocked.value ?? [];
    if (blocked.length === 0) return nothing;
    return html`<section class="blocked" aria-labelledby="blocked-title">
      <h3 id="blocked-title" aria-level=${this.headingLevel(1)}>${t.t('blocking.blockedPeople')}</h3>
      <ul aria-labelledby="blocked-title">
        ${blocked.map(
          (user) => html`<li class="blocked-person" data-user-id=${user.id}>
            <im-avatar .name=${user.name} .userId=${user.id} .src=${user.avatar}></im-avatar>
            <span class="name">${user.name}</span>
            <button
              type="button"
              class="unblock"
              aria-label=${t.t('blocking.unblockName', { name: user.name })}
              ?disabled=${this.unblocking === user.id}
              @click=${() => void this.#unblock(user.id)}
            >
              ${t.t('blocking.unblock')}
            </button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  async #unblock(userId: string): Promise<void> {
    this.unblocking = userId;
    try {
      await this.client!.blocks.unblock(userId);
      this.error = null;
    } catch (error) {
      this.error = error instanceof ChatError ? error.code : 'unknown';
    } finally {
      this.unblocking = null;
    }
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
