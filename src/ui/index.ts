/**
 * The `<im-chat>` web component. Importing this module (or loading the IIFE bundle)
 * registers the element and its parts.
 */
export { ImChat } from './im-chat/im-chat.js';
export type {
  ImErrorDetail,
  ImMessageDetail,
  ImReadyDetail,
  ImUnreadChangeDetail,
} from './im-chat/im-chat-events.js';
export { ChatClient, ChatError } from '../client/index.js';
export { registerLocale, resolveLang, availableLanguages } from './i18n/index.js';
export type { Catalogue, CatalogueLoader, Lang, MessageKey, PartialCatalogue } from './i18n/index.js';
export type { ChatClientOptions, ClientStatus, TokenProvider } from '../client/index.js';
