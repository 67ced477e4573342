import { consume } from '@lit/context';
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { sessionContext, translatorContext, type SessionSnapshot } from '../context.js';
import type { Translator } from '../i18n/index.js';
import { styles } from './im-connection-status.styles.js';

/**
 * Says, politely and only when it matters, whether messages can go out right now.
 *
 * @summary Connection state banner.
 * @csspart banner - The visible banner (absent while online).
 */
@customElement('im-connection-status')
export class ImConnectionStatus extends LitElement {
  static override styles = styles;

  @consume({ context: sessionContext, subscribe: true })
  session?: SessionSnapshot;

  @consume({ context: translatorContext, subscribe: true })
  translator?: Translator;

  protected override render() {
    const status = this.session?.status ?? 'starting';
    const quiet = status === 'online' || status === 'stopped';
    // The live region stays in the DOM so that changes are announced.
    return html`<div role="status" class="region">
      ${quiet || !this.translator
        ? ''
        : html`<div part="banner" class="banner ${status}">
            ${this.translator.t(`status.${status}`)}
          </div>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-connection-status': ImConnectionStatus;
  }
}
