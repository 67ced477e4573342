/**
 * The `<im-chat>` web component: the package's main entry in a browser (the `browser`/`default`
 * condition of `exports["."]`) and the IIFE bundle's. Importing this module registers the
 * element and its parts. Where there is no DOM the package resolves to `node.ts` instead,
 * whose declarations describe both.
 *
 * @example
 * ```ts
 * import 'im-chat';
 * document.body.append(Object.assign(document.createElement('im-chat'), { server: 'https://chat.example.com' }));
 * ```
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
