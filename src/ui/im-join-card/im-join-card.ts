import { nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ChatError } from '../../client/index.js';
import type { GroupPreview, InvitePreviewResult } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-join-card.styles.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { toParentOnly } from '../base/events.js';

type CardState =
  | { step: 'waiting' }
  | { step: 'loading' }
  | { step: 'preview'; preview: InvitePreviewResult }
  | { step: 'joining'; preview: InvitePreviewResult }
  | { step: 'requested'; group: GroupPreview }
  | { step: 'failed'; code: string; group?: GroupPreview };

/**
 * What an invite link leads to: the group's name, picture, description and size (never
 * its messages or members), with Join and Not now. Errors (an expired or revoked link,
 * a dismissed group…) are explained in the card.
 *
 * @summary Join-by-link card.
 * @event im-select - The user is in the group (joined now, or already was). Detail: `{ conversationId }`.
 * @event im-close - The card was dismissed.
 * @csspart card - The dialog box.
 */
@imElement('im-join-card')
export class ImJoinCard extends ImElement {
  static override styles = styles;

  /** The invite code. */
  @property() code = '';

  @state() private card: CardState = { step: 'waiting' };
  @query('dialog') private dialog!: HTMLDialogElement;

  protected override firstUpdated(): void {
    this.dialog.showModal();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('code')) this.card = { step: 'waiting' };
    if (this.card.step === 'waiting' && this.session?.status === 'online' && this.code) void this.#preview();
  }

  protected override render() {
    const t = this.translator;
    if (!t) return nothing;
    return html`<dialog part="card" aria-labelledby="title" @close=${this.#onClose}>
      <h2 id="title" class="visually-hidden" aria-level=${this.headingLevel()}>${t.t('joinTitle')}</h2>
      ${this.#renderBody(t)}
    </dialog>`;
  }

  #renderBody(t: Translator) {
    const card = this.card;
    switch (card.step) {
      case 'waiting':
        return this.#note(t, t.t('joinWaitingForConnection'));
      case 'loading':
        return this.#note(t, t.t('joinLoading'));
      case 'failed':
        return html`${card.group ? this.#renderGroup(card.group, t) : nothing}
          <p class="message error" role="alert">${t.error(card.code)}</p>
          <div class="actions"><button class="secondary" @click=${this.#dismiss}>${t.t('close')}</button></div>`;
      case 'requested':
        return html`${this.#renderGroup(card.group, t)}
          <p class="message" role="status">${t.t('joinRequestSent')}</p>
          <div class="actions"><button class="primary" @click=${this.#dismiss}>${t.t('close')}</button></div>`;
      case 'preview':
      case 'joining':
        return this.#renderPreview(card.preview, card.step === 'joining', t);
    }
  }

  #renderPreview({ group, membership }: InvitePreviewResult, busy: boolean, t: Translator) {
    if (membership === 'active') {
      return html`${this.#renderGroup(group, t)}
        <p class="message">${t.t('alreadyMember')}</p>
        <div class="actions">
          <button class="secondary" @click=${this.#dismiss}>${t.t('close')}</button>
          <button class="primary" @click=${() => this.#opened(group.id)}>${t.t('openGroup')}</button>
        </div>`;
    }
    if (membership === 'requested') {
      return html`${this.#renderGroup(group, t)}
        <p class="message">${t.t('joinRequestPending')}</p>
        <div class="actions"><button class="primary" @click=${this.#dismiss}>${t.t('close')}</button></div>`;
    }
    return html`${this.#renderGroup(group, t)}
      <div class="actions">
        <button class="secondary" ?disabled=${busy} @click=${this.#dismiss}>${t.t('notNow')}</button>
        <button class="primary" ?disabled=${busy} @click=${this.#join} autofocus>${t.t('join')}</button>
      </div>`;
  }

  #renderGroup(group: GroupPreview, t: Translator) {
    return html`<div class="group">
      <im-avatar .name=${group.name} .userId=${group.id} .src=${group.avatar}></im-avatar>
      <p class="name">${group.name}</p>
      <p class="count">${t.t('members', { count: group.memberCount })}</p>
      ${group.description ? html`<p class="description">${group.description}</p>` : nothing}
    </div>`;
  }

  #note(t: Translator, text: string) {
    return html`<p class="message" role="status">${text}</p>
      <div class="actions"><button class="secondary" @click=${this.#dismiss}>${t.t('notNow')}</button></div>`;
  }

  async #preview(): Promise<void> {
    this.card = { step: 'loading' };
    try {
      this.card = { step: 'preview', preview: await this.client!.groups.previewInvite(this.code) };
    } catch (error) {
      this.#fail(error);
    }
  }

  async #join(): Promise<void> {
    if (this.card.step !== 'preview') return;
    const { preview } = this.card;
    this.card = { step: 'joining', preview };
    try {
      const result = await this.client!.groups.joinByInvite(this.code);
      if (result.status === 'joined') this.#opened(result.conversation.id);
      else this.card = { step: 'requested', group: result.group };
    } catch (error) {
      this.#fail(error, preview.group);
    }
  }

  #fail(error: unknown, group?: GroupPreview): void {
    const code = error instanceof ChatError ? error.code : 'unknown';
    this.card = group ? { step: 'failed', code, group } : { step: 'failed', code };
  }

  #opened(conversationId: string): void {
    this.emit('im-select', { conversationId }, toParentOnly);
    this.dialog.close();
  }

  #dismiss(): void {
    this.dialog.close();
  }

  #onClose(): void {
    this.emit('im-close', {}, toParentOnly);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-join-card': ImJoinCard;
  }
}
