import { css, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { GroupConversation } from '../../protocol/index.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import '../im-avatar/im-avatar.js';
import { ActionTracker, errorNote } from './actions.js';
import './im-announcement-confirmations.js';
import './im-group-confirm.js';
import type { ImGroupConfirm } from './im-group-confirm.js';
import {
  changesFrom,
  checkForm,
  formValues,
  type FormProblems,
  type GroupFormField,
  type GroupFormValues,
} from './group-form.js';
import { partStyles } from './im-group-panel.styles.js';
import { canManage, isLive } from './rules.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/**
 * A group's picture, name, description and announcement; the form to change them (owner
 * and admins); leaving, or for the owner dismissing, the group.
 *
 * @summary Info tab of the group panel.
 */
@imElement('im-group-info')
export class ImGroupInfo extends ImElement {
  static override styles = [
    partStyles,
    css`
      .about {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 4px;
        text-align: center;
        --im-avatar-size: 72px;
      }
      .about h3 {
        margin: 8px 0 0;
        font-size: 1.2em;
        overflow-wrap: anywhere;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .about .text {
        margin-top: 6px;
      }
    `,
  ];

  /** The group, as the cache has it now. */
  @property({ attribute: false }) conversation?: GroupConversation;

  /**
   * While editing, the fields the user has typed in; null otherwise. The other fields show
   * the group as it is now, so a change made meanwhile (another device, another admin) is
   * neither hidden nor sent back over.
   */
  @state() private editing: Partial<GroupFormValues> | null = null;
  @state() private problems: FormProblems = {};
  @state() private saved = false;
  @query(tag('im-group-confirm')) private confirmDialog!: ImGroupConfirm;

  #actions = new ActionTracker(this);

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group) return nothing;
    const editable = canManage(group);
    return html`<section class="about">
        <im-avatar .name=${group.name} .userId=${group.id} .src=${group.avatar}></im-avatar>
        <h3 class="group-name" aria-level=${this.headingLevel(1)}><bdi>${group.name}</bdi></h3>
        <p class="note member-count">${t.t('members', { count: group.memberCount })}</p>
        ${this.#renderStanding(group, t)}
        ${group.description ? html`<p class="text description">${group.description}</p>` : nothing}
        ${editable && !this.editing
          ? html`<div class="actions">
              <button type="button" class="button edit" @click=${this.#startEditing}>${t.t('groupPanel.edit')}</button>
            </div>`
          : nothing}
        <p class="note" role="status">${this.saved ? t.t('groupPanel.saved') : nothing}</p>
      </section>
      ${editable && this.editing ? this.#renderForm(this.#values(group, this.editing), t) : nothing}
      ${group.announcement && !this.editing
        ? html`<section>
            <h3 aria-level=${this.headingLevel(1)}>${t.t('groupAnnouncement')}</h3>
            <p class="text announcement">${group.announcement}</p>
            <im-announcement-confirmations .conversation=${group}></im-announcement-confirmations>
          </section>`
        : nothing}
      ${this.#renderLeave(group, t)}
      <im-group-confirm></im-group-confirm>`;
  }

  #renderStanding(group: GroupConversation, t: Translator) {
    const key: MessageKey | null =
      group.membership === 'removed'
        ? 'removedFromGroup'
        : group.membership === 'left'
          ? 'noLongerMember'
          : group.dismissed
            ? 'groupDismissedNote'
            : null;
    return key ? html`<p class="note standing">${t.t(key)}</p>` : nothing;
  }

  #renderForm(values: GroupFormValues, t: Translator) {
    const busy = this.#actions.busy('save');
    return html`<section>
      <form novalidate aria-labelledby="edit-title" @submit=${this.#save}>
        <h3 id="edit-title" aria-level=${this.headingLevel(1)}>${t.t('groupPanel.editTitle')}</h3>
        ${this.#field('name', 'groupName', html`<input
          id="field-name"
          type="text"
          autocomplete="off"
          .value=${live(values.name)}
          ?disabled=${busy}
          aria-invalid=${this.problems.name ? 'true' : 'false'}
          aria-describedby=${ifDefined(this.problems.name ? 'problem-name' : undefined)}
          @input=${this.#onInput}
        />`)}
        ${this.#field('description', 'groupDescription', html`<textarea
          id="field-description"
          rows="3"
          .value=${live(values.description)}
          ?disabled=${busy}
          aria-invalid=${this.problems.description ? 'true' : 'false'}
          aria-describedby=${ifDefined(this.problems.description ? 'problem-description' : undefined)}
          @input=${this.#onInput}
        ></textarea>`)}
        ${this.#field('announcement', 'groupAnnouncement', html`<textarea
          id="field-announcement"
          rows="4"
          .value=${live(values.announcement)}
          ?disabled=${busy}
          aria-invalid=${this.problems.announcement ? 'true' : 'false'}
          aria-describedby=${ifDefined(this.problems.announcement ? 'problem-announcement' : undefined)}
          @input=${this.#onInput}
        ></textarea>`)}
        ${this.#field('avatar', 'groupAvatar', html`<input
          id="field-avatar"
          type="url"
          inputmode="url"
          autocomplete="off"
          placeholder="https://"
          .value=${live(values.avatar)}
          ?disabled=${busy}
          aria-invalid=${this.problems.avatar ? 'true' : 'false'}
          aria-describedby=${ifDefined(this.problems.avatar ? 'problem-avatar' : undefined)}
          @input=${this.#onInput}
        />`)}
        <div class="actions">
          <button type="submit" class="button primary save" ?disabled=${busy}>${t.t('save')}</button>
          <button type="button" class="button cancel" ?disabled=${busy} @click=${this.#stopEditing}>
            ${t.t('cancel')}
          </button>
        </div>
        ${errorNote(t, this.#actions.error('save'))}
      </form>
    </section>`;
  }

  #field(field: GroupFormField, label: MessageKey, control: unknown) {
    const t = this.translator!;
    const problem = this.problems[field];
    return html`<div class="field">
      <label for="field-${field}">${t.t(label)}</label>
      ${control}
      ${problem ? html`<p class="error" id="problem-${field}">${t.t(problem.key, problem.params)}</p>` : nothing}
    </div>`;
  }

  #renderLeave(group: GroupConversation, t: Translator) {
    if (!isLive(group)) return nothing;
    if (group.role === 'owner') {
      const busy = this.#actions.busy('dismiss');
      return html`<section>
        <p class="note owner-note">${t.t('groupPanel.ownerLeaveNote')}</p>
        <div class="actions">
          <button type="button" class="button danger dismiss" ?disabled=${busy} @click=${this.#dismiss}>
            ${t.t('groupPanel.dismiss')}
          </button>
        </div>
        ${errorNote(t, this.#actions.error('dismiss'))}
      </section>`;
    }
    const busy = this.#actions.busy('leave');
    return html`<section>
      <div class="actions">
        <button type="button" class="button danger leave" ?disabled=${busy} @click=${this.#leave}>
          ${t.t('groupPanel.leave')}
        </button>
      </div>
      ${errorNote(t, this.#actions.error('leave'))}
    </section>`;
  }

  async #startEditing(): Promise<void> {
    this.editing = {};
    this.problems = {};
    this.saved = false;
    this.#actions.clear('save');
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#field-name')?.focus();
  }

  async #stopEditing(): Promise<void> {
    this.editing = null;
    this.problems = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.edit')?.focus();
  }

  #onInput(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLTextAreaElement;
    const field = control.id.slice('field-'.length) as GroupFormField;
    this.editing = { ...this.editing!, [field]: control.value };
    if (this.problems[field]) this.problems = { ...this.problems, [field]: undefined };
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const group = this.conversation;
    if (!group || !this.editing || !this.client) return;
    const values = this.#values(group, this.editing);
    this.problems = checkForm(values);
    const invalid = (Object.keys(this.problems) as GroupFormField[]).find((field) => this.problems[field]);
    if (invalid) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#field-${invalid}`)?.focus();
      return;
    }
    const changes = changesFrom(group, values);
    const groups = this.client.groups;
    const ok = changes ? await this.#actions.run('save', () => groups.update({ conversationId: group.id, ...changes })) : true;
    if (!ok) return;
    this.saved = changes !== null;
    await this.#stopEditing();
  }

  #values(group: GroupConversation, typed: Partial<GroupFormValues>): GroupFormValues {
    return { ...formValues(group), ...typed };
  }

  async #leave(): Promise<void> {
    const group = this.conversation!;
    const t = this.translator!;
    const confirmed = await this.confirmDialog.ask({
      message: t.t('groupPanel.confirmLeave', { name: group.name }),
      confirm: t.t('groupPanel.leave'),
    });
    if (confirmed && this.client) {
      const groups = this.client.groups;
      await this.#actions.run('leave', () => groups.leave(group.id));
    }
  }

  async #dismiss(): Promise<void> {
    const group = this.conversation!;
    const t = this.translator!;
    const confirmed = await this.confirmDialog.ask({
      message: t.t('groupPanel.confirmDismiss', { name: group.name }),
      confirm: t.t('groupPanel.dismiss'),
    });
    if (confirmed && this.client) {
      const groups = this.client.groups;
      await this.#actions.run('dismiss', () => groups.dismiss(group.id));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-info': ImGroupInfo;
  }
}
