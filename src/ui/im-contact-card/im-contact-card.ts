import { nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ChatError } from '../../client/index.js';
import type { ContactBody } from '../../protocol/index.js';
import '../im-avatar/im-avatar.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import '../im-group-panel/im-group-confirm.js';
import type { ImGroupConfirm } from '../im-group-panel/im-group-confirm.js';
import { styles } from './im-contact-card.styles.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/** The detail of `im-open-chat`: the single chat with this user is ready. */
export interface OpenChatDetail {
  conversationId: string;
}

/**
 * A user card someone shared in a conversation: the person's picture and name, a Message
 * button that starts (or reopens) the single chat with them, and Block (after asking, as
 * from a chat's header) or Unblock. The user's own card has no buttons.
 *
 * @summary A shared contact.
 * @event im-open-chat - The single chat with the person is ready to be shown. Detail: `{ conversationId }`.
 * @csspart card - The card.
 * @csspart contact-name - The person's name.
 * @csspart contact-message-button - Starts the chat with the person.
 * @csspart contact-block-button - Blocks the person, or unblocks them when they are blocked.
 * @csspart contact-blocked - Says that the user blocked the person.
 * @cssprop --im-attachment-card-width - Widest a card gets (as a file's).
 * @cssprop --im-attachment-radius - The card's corner radius (as an attachment's).
 */
@imElement('im-contact-card')
export class ImContactCard extends ImElement {
  static override styles = styles;

  @property({ attribute: false }) body?: ContactBody;
  /** Whether its button is in the Tab order (in a message list, only the focused message's is). */
  @property({ type: Boolean }) tabbable = true;

  /** Why the chat could not be opened, or the person not (un)blocked: an error code, or null. */
  @state() private error: string | null = null;
  @state() private opening = false;
  @state() private blocking = false;
  /** The confirmation dialog is rendered once Block has been pressed (most cards never need it). */
  @state() private confirmRendered = false;
  @query(tag('im-group-confirm')) private confirmDialog?: ImGroupConfirm;

  /** Whether the user blocked the person, from the cache's block list (the same on every view and tab). */
  #blocked = new LiveQueryController<boolean>(this, {
    query: () => {
      const cache = this.session?.cache;
      const userId = this.body?.user.id;
      if (!cache || !userId) return null;
      return async () => (await cache.blockedUsers()).some((entry) => entry.userId === userId);
    },
    deps: () => [this.session?.cache, this.body?.user.id],
  });

  protected override render() {
    const t = this.translator;
    const user = this.body?.user;
    if (!t || !user) return nothing;
    const me = this.session?.cache?.userId;
    const blocked = this.#blocked.value === true;
    const busy = this.blocking || !this.client;
    // The name as the card was shared; the cached profile's picture when it is newer.
    return html`<div class="card" part="card" role="group" aria-label=${t.t('body.contact', { name: user.name })}>
      <im-avatar .name=${user.name} .userId=${user.id} .src=${user.avatar}></im-avatar>
      <span class="name" part="contact-name"><bdi>${user.name}</bdi></span>
      <span class="label">
        ${blocked ? html`<span class="blocked" part="contact-blocked">${t.t('blocking.blocked')}</span>` : t.t('contact.card')}
      </span>
      ${user.id === me
        ? nothing
        : html`<div class="actions">
            <button
              type="button"
              class="message"
              part="contact-message-button"
              tabindex=${this.tabbable ? 0 : -1}
              aria-label=${t.t('contact.messageLabel', { name: user.name })}
              ?disabled=${this.opening || !this.client}
              @click=${this.#open}
            >
              ${t.t('contact.message')}
            </button>
            <button
              type="button"
              class=${blocked ? 'block unblock' : 'block'}
              part="contact-block-button"
              tabindex=${this.tabbable ? 0 : -1}
              aria-label=${t.t(blocked ? 'blocking.unblockName' : 'blocking.blockName', { name: user.name })}
              ?disabled=${busy}
              @click=${() => void this.#setBlocked(!blocked)}
            >
              ${t.t(blocked ? 'blocking.unblock' : 'blocking.block')}
            </button>
          </div>`}
      ${this.error ? html`<p class="error" role="alert">${t.error(this.error)}</p>` : nothing}
      ${this.confirmRendered ? html`<im-group-confirm></im-group-confirm>` : nothing}
    </div>`;
  }

  /** Blocks (after asking) or unblocks the person; the cache's block list redraws the card. */
  async #setBlocked(blocked: boolean): Promise<void> {
    const t = this.translator;
    const user = this.body?.user;
    if (!t || !user || !this.client || this.blocking) return;
    if (blocked) {
      this.confirmRendered = true;
      await this.updateComplete;
      const confirmed = await this.confirmDialog?.ask({
        message: t.t('blocking.confirmBlock', { name: user.name }),
        confirm: t.t('blocking.block'),
      });
      if (!confirmed) return;
    }
    this.blocking = true;
    this.error = null;
    try {
      await (blocked ? this.client.blocks.block(user.id) : this.client.blocks.unblock(user.id));
    } catch (error) {
      this.error = error instanceof ChatError ? error.code : 'unknown';
    } finally {
      this.blocking = false;
    }
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
