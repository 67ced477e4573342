/**
 * The `<im-chat>` web component and its parts, registered as this module loads: the IIFE
 * bundle's entry, and what `index.ts` loads once it is in a browser.
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
