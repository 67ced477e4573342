/**
 * The `<im-chat>` package's main entry in a browser (the `browser`/`default` condition of
 * `exports["."]`, and the IIFE bundle's entry): the web component and its parts, registered
 * as this module loads. Where there is no DOM the package resolves to `index.ts` instead,
 * whose declarations describe both.
 */
export { ImChat } from './im-chat/im-chat.js';
export type {
  ImErrorDetail,
  ImMessageDetail,
  ImReadyDetail,
  ImUnreadChangeDetail,
} from './im-chat/im-chat-events.js';
export { ChatClient, ChatError } from '../client/index.js';
export type { ChatClientOptions, ClientStatus, TokenProvider } from '../client/index.js';
