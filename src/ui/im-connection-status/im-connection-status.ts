import { html } from 'lit';

import { styles } from './im-connection-status.styles.js';
import { imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/**
 * Says, politely and only when it matters, whether messages can go out right now.
 *
 * @summary Connection state banner.
 * @csspart banner - The visible banner (absent while online).
 * @csspart storage-notice - Says that messages are not kept on this device (the browser blocks storage).
 */
@imElement('im-connection-status')
export class ImConnectionStatus extends ImElement {
  static override styles = styles;

  protected override render() {
    const t = this.translator;
    const status = this.session?.status ?? 'starting';
    const refusal = this.session?.refusal;
    const quiet = status === 'online' || status === 'stopped';
    // A refusal other than an ended session says what is wrong (e.g. a site not allowed).
    const text =
      status === 'unauthorized' && refusal && refusal !== 'token_expired'
        ? t?.error(refusal)
        : t?.t(`status.${status}`);
    const memoryOnly = this.session?.cache?.db.persistent === false;
    // The live region stays in the DOM so that changes are announced.
    return html`<div role="status" class="region">
      ${quiet || !text ? '' : html`<div part="banner" class="banner ${status}">${text}</div>`}
      ${memoryOnly ? html`<div part="storage-notice" class="banner">${t?.t('status.memoryOnly')}</div>` : ''}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-connection-status': ImConnectionStatus;
  }
}
