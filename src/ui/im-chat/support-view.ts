import type { TemplateResult } from 'lit';
import { exportParts, messagePaneParts } from '../parts.js';
import type { PrechatDetail } from '../im-support-widget/im-prechat-form.js';
import { html, onDemand } from '../registry.js';
import type { SupportSession } from '../support-session/support-session.js';

onDemand('im-support-widget', () => import('../im-support-widget/im-support-widget.js'));

export interface SupportViewOptions {
  position: 'right' | 'left';
  noLauncher: boolean;
  unread: number;
  /** The host signed the customer in: they are one of its users, not an anonymous visitor. */
  signedIn: boolean;
  /** The bell that turns browser notifications on and off. */
  notificationToggle: unknown;
  toggle: () => void;
  close: () => void;
}

/** What `<im-chat>` shows in support mode: the support widget, fed by the customer's support session. */
export function renderSupportView(support: SupportSession, options: SupportViewOptions): TemplateResult {
  return html`<im-support-widget
    exportparts=${exportParts(['launcher', 'badge', 'panel', 'greeting'], messagePaneParts)}
    .open=${support.isOpen}
    .position=${options.position}
    .noLauncher=${options.noLauncher}
    .unread=${options.unread}
    .config=${support.config}
    .conversationId=${support.conversationId}
    .prechatFields=${support.prechatFields}
    .busy=${support.busy}
    .error=${support.error}
    .signedIn=${options.signedIn}
    .notifyToggle=${options.notificationToggle}
    @im-toggle=${options.toggle}
    @im-close=${options.close}
    @im-prechat=${(event: CustomEvent<PrechatDetail>) => void support.submitPrechat(event.detail)}
  ></im-support-widget>`;
}
