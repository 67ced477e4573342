/**
 * The `<im-chat>` package's main entry where there is no DOM (server rendering in Node, say):
 * the `node` condition of `exports["."]`. It defines nothing and touches no global: `ImChat`
 * is `undefined`, and the element registers once the browser loads `index.ts` (the
 * `browser`/`default` condition). The headless client is the same in both. Its declarations
 * are the entry's types under every condition.
 */
import type * as Elements from './index.js';

export { ChatClient, ChatError } from '../client/index.js';
export type { ChatClientOptions, ClientStatus, TokenProvider } from '../client/index.js';
export { registerLocale, resolveLang, availableLanguages } from './i18n/index.js';
export type { Catalogue, CatalogueLoader, Lang, MessageKey, PartialCatalogue } from './i18n/index.js';
export type {
  ImErrorDetail,
  ImMessageDetail,
  ImReadyDetail,
  ImUnreadChangeDetail,
} from './im-chat/im-chat-events.js';

/** The `<im-chat>` element. */
export type ImChat = Elements.ImChat;

/** The `<im-chat>` element's class in a browser, where importing the package registers it; `undefined` elsewhere. */
export const ImChat: typeof Elements.ImChat | undefined = undefined;
