/** The details of the events `<im-chat>` tells the host page (see its `@event` docs). */
import type { Message } from '../../protocol/index.js';

export interface ImReadyDetail {
  user: { id: string; name: string; avatar: string | null };
}
export interface ImMessageDetail {
  message: Message;
}
export interface ImUnreadChangeDetail {
  unread: number;
}
export interface ImErrorDetail {
  code: string;
  message: string;
}

declare global {
  interface HTMLElementEventMap {
    'im-ready': CustomEvent<ImReadyDetail>;
    'im-message': CustomEvent<ImMessageDetail>;
    'im-unread-change': CustomEvent<ImUnreadChangeDetail>;
    'im-error': CustomEvent<ImErrorDetail>;
    /** Support mode: the panel opened. */
    'im-open': CustomEvent<Record<string, never>>;
    /** Support mode: the panel closed. */
    'im-close': CustomEvent<Record<string, never>>;
  }
}
