import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CachedConversation, ChatClient } from '../../client/index.js';
import type { User } from '../../protocol/index.js';
import {
  clientContext,
  sessionContext,
  translatorContext,
  type SessionSnapshot,
} from '../context.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import '../im-avatar/im-avatar.js';
import '../im-composer/im-composer.js';
import type { ImComposer, SendDetail } from '../im-composer/im-composer.js';
import '../im-message-list/im-message-list.js';
import { styles } from './im-message-pane.styles.js';

interface PaneData {
  conversation: CachedConversation | undefined;
  peer: User | undefined;
}

/**
 * One open conversation: who it is with, its messages, and the composer.
 *
 * @summary Conversation view.
 * @event im-back - The user asked to go back to the list (narrow layout).
 * @csspart header - The bar with the back button and the peer's name.
 */
@customElement('im-message-pane')
export class ImMessagePane extends LitElement {
  static override styles = styles;

  @consume({ context: clientContext, subscribe: true })
  client?: ChatClient;

  @consume({ context: sessionContext, subscribe: true })
  session?: SessionSnapshot;

  @consume({ context: translatorContext, subscribe: true })
  translator?: Translator;

  @property({ attribute: 'conversation-id' }) conversationId = '';

  #data = new LiveQueryController<PaneData>(this, {
    query: () => {
      const cache = this.session?.cache;
      const id = this.conversationId;
      if (!cache || !id) return null;
      return async () => {
        const conversation = await cache.conversation(id);
        const peer = conversation ? await cache.user(conversation.peerId) : undefined;
        return { conversation, peer };
      };
    },
    deps: () => [this.session?.cache, this.conversationId],
    key: () => this.conversationId,
  });

  #focusWhenRendered = false;

  /** Puts the keyboard in the composer, as soon as the conversation has rendered. */
  focusComposer(): void {
    const composer = this.renderRoot.querySelector<ImComposer>('im-composer');
    this.#focusWhenRendered = !composer;
    composer?.focus();
  }

  protected override updated(): void {
    if (this.#focusWhenRendered) this.focusComposer();
  }

  protected override render() {
    const t = this.translator;
    const data = this.#data.value;
    if (!t || !data?.conversation) return nothing;
    const { conversation, peer } = data;
    const name = peer?.name ?? conversation.peerId;
    return html`<header part="header">
        <button
          type="button"
          class="icon-button back"
          aria-label=${t.t('back')}
          title=${t.t('back')}
          @click=${() => this.dispatchEvent(new CustomEvent('im-back'))}
        >
          ${icons.back}
        </button>
        <im-avatar .name=${name} .userId=${conversation.peerId} .src=${peer?.avatar ?? null}></im-avatar>
        <h2>${name}</h2>
      </header>
      <im-message-list .conversation=${conversation} .peer=${peer ?? null}></im-message-list>
      <im-composer @im-send=${this.#onSend}></im-composer>`;
  }

  #onSend(event: CustomEvent<SendDetail>): void {
    const client = this.client;
    if (!client) return;
    event.detail.result = client.send(this.conversationId, event.detail.text);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-message-pane': ImMessagePane;
  }
}
