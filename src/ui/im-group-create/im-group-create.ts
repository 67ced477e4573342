import { nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { ChatError } from '../../client/index.js';
import { limits } from '../../protocol/limits.js';
import type { User } from '../../protocol/index.js';
import { PeopleSearchController } from '../controllers/people-search-controller.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-group-create.styles.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

/**
 * A modal dialog to create a group: its name, optional description and picture, and
 * the first members. The creator becomes the owner.
 *
 * @summary New-group dialog.
 * @event im-select - The new group is ready. Detail: `{ conversationId }`.
 * @csspart dialog - The dialog box.
 */
@imElement('im-group-create')
export class ImGroupCreate extends ImElement {
  static override styles = styles;

  @state() private chosen = new Map<string, User>();
  @state() private error: string | null = null;
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('form') private form!: HTMLFormElement;

  #people = new PeopleSearchController(this, () => this.client);

  show(): void {
    this.form.reset();
    this.chosen = new Map();
    this.error = null;
    this.dialog.showModal();
    void this.#people.run('');
  }

  close(): void {
    this.dialog.close();
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    // People already picked stay in view, so they can be unpicked.
    const found = this.#people.results;
    const picked = [...this.chosen.values()].filter((user) => !found.some((f) => f.id === user.id));
    const error = this.error ?? (this.#people.error && t.error(this.#people.error));
    return html`<dialog part="dialog" aria-labelledby="title" @close=${() => this.#people.cancel()}>
      <form @submit=${this.#onSubmit} novalidate>
        <div class="header">
          <h2 id="title" aria-level=${this.headingLevel()}>${t.t('newGroup')}</h2>
          <button type="button" class="icon-button" aria-label=${t.t('close')} @click=${this.close}>
            ${icons.close}
          </button>
        </div>
        <div class="fields">
          <label for="name">${t.t('groupName')}</label>
          <input id="name" name="name" required maxlength=${limits.nameLength} autocomplete="off" />
          <label for="description">${t.t('groupDescription')}</label>
          <textarea id="description" name="description" rows="2" maxlength=${limits.descriptionLength}></textarea>
          <label for="avatar">${t.t('groupAvatar')}</label>
          <input id="avatar" name="avatar" type="url" inputmode="url" placeholder="https://…" />
          <label for="search">${t.t('addPeople')}</label>
          <input
            id="search"
            type="search"
            autocomplete="off"
            placeholder=${t.t('searchPeople')}
            @input=${(event: InputEvent) => this.#people.schedule((event.target as HTMLInputElement).value)}
          />
        </div>
        <ul class="people" aria-label=${t.t('people')}>
          ${[...picked, ...found].map((user) => this.#renderPerson(user))}
        </ul>
        <p class="error" role="alert">${error ?? ''}</p>
        <footer>
          <span class="count">${this.chosen.size > 0 ? t.t('members', { count: this.chosen.size + 1 }) : ''}</span>
          <button type="button" class="secondary" @click=${this.close}>${t.t('cancel')}</button>
          <button type="submit" class="primary" ?disabled=${this.busy}>${t.t('create')}</button>
        </footer>
      </form>
    </dialog>`;
  }

  #renderPerson(user: User) {
    const checked = this.chosen.has(user.id);
    return html`<li>
      <label class="person">
        <input type="checkbox" .checked=${checked} @change=${() => this.#toggle(user)} />
        <im-avatar .name=${user.name} .userId=${user.id} .src=${user.avatar}></im-avatar>
        <span>${user.name}</span>
      </label>
    </li>`;
  }

  #toggle(user: User): void {
    const chosen = new Map(this.chosen);
    if (chosen.has(user.id)) chosen.delete(user.id);
    else chosen.set(user.id, user);
    this.chosen = chosen;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const t = this.translator!;
    const data = new FormData(this.form);
    const name = String(data.get('name') ?? '').trim();
    const description = String(data.get('description') ?? '').trim();
    const avatar = String(data.get('avatar') ?? '').trim();
    if (!name) {
      this.error = t.t('groupNameRequired');
      this.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
      return;
    }
    if (avatar && !isHttpUrl(avatar)) {
      this.error = t.t('pictureUrlInvalid');
      this.renderRoot.querySelector<HTMLInputElement>('#avatar')?.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const conversationId = await this.client!.groups.create({
        name,
        ...(description ? { description } : {}),
        ...(avatar ? { avatar } : {}),
        memberIds: [...this.chosen.keys()],
      });
      this.close();
      this.emit('im-select', { conversationId }, toParentOnly);
    } catch (error) {
      this.error = this.#message(error);
    } finally {
      this.busy = false;
    }
  }

  #message(error: unknown): string {
    return this.translator!.error(error instanceof ChatError ? error.code : 'unknown');
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-create': ImGroupCreate;
  }
}
