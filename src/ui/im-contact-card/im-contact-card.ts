import { nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ChatError } from '../../client/index.js';
import type { ContactBody } from '../../protocol/index.js';
import '../im-avatar/im-avatar.js';
import { styles } from './im-contact-card.styles.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/** The detail of `im-open-chat`: the single chat with this user is ready. */
export interface OpenChatDetail {
  conversationId: string;
}

/**
 * A user card someone shared in a conversation: the person's picture and name, and a
 * Message button that starts (or reopens) the single chat with them. The user's own card
 * has no button.
 *
 * @summary A shared contact.
 * @event im-open-chat - The single chat with the person is ready to be shown. Detail: `{ conversationId }`.
 * @csspart card - The card.
 * @csspart contact-name - The person's name.
 * @csspart contact-message-button - Starts the chat with the person.
 * @cssprop --im-attachment-card-width - Widest a card gets (as a file's).
 * @cssprop --im-attachment-radius - The card's corner radius (as an attachment's).
 */
@imElement('im-contact-card')
export class ImContactCard extends ImElement {
  static override styles = styles;

  @property({ attribute: false }) body?: ContactBody;
  /** Whether its button is in the Tab order (in a message list, only the focused message's is). */
  @property({ type: Boolean }) tabbable = true;

  /** Why the chat could not be opened (an error code), or null. */
  @state() private error: string | null = null;
  @state() private opening = false;

  protected override render() {
    const t = this.translator;
    const user = this.body?.user;
    if (!t || !user) return nothing;
    const me = this.session?.cache?.userId;
    // The name as the card was shared; the cached profile's picture when it is newer.
    return html`<div class="card" part="card" role="group" aria-label=${t.t('body.contact', { name: user.name })}>
      <im-avatar .name=${user.name} .userId=${user.id} .src=${user.avatar}></im-avatar>
      <span class="name" part="contact-name"><bdi>${user.name}</bdi></span>
      <span class="label">${t.t('contact.card')}</span>
      ${user.id === me
        ? nothing
        : html`<button
            type="button"
            class="message"
            part="contact-message-button"
            tabindex=${this.tabbable ? 0 : -1}
            aria-label=${t.t('contact.messageLabel', { name: user.name })}
            ?disabled=${this.opening || !this.client}
            @click=${this.#open}
          >
            ${t.t('contact.message')}
          </button>`}
      ${this.error ? html`<p class="error" role="alert">${t.error(this.error)}</p>` : nothing}
    </div>`;
  }

  async #open(): Promise<void> {
    const user = this.body?.user;
    if (!user || !this.client) return;
    this.opening = true;
    this.error = null;
    try {
      const conversationId = await this.client.startConversation(user.id);
      this.emit('im-open-chat', { conversationId });
    } catch (error) {
      this.error = error instanceof ChatError ? error.code : 'unknown';
    } finally {
      this.opening = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-contact-card': ImContactCard;
  }
}
