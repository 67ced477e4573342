/**
 * The `<im-chat>` web component: the package's main entry.
 *
 * In a browser, importing it registers `<im-chat>` and its parts. Elsewhere (server rendering
 * in Node, say) it defines nothing and touches no global: `ImChat` stays `undefined`, and the
 * element registers once the same code runs in the browser. The headless client works in both.
 *
 * @example
 * ```ts
 * import 'im-chat';
 * document.body.append(Object.assign(document.createElement('im-chat'), { server: 'https://chat.example.com' }));
 * ```
 */
import type * as Client from '../client/index.js';
import type * as Elements from './elements.js';

export type { ChatClientOptions, ClientStatus, TokenProvider } from '../client/index.js';
export type {
  ImErrorDetail,
  ImMessageDetail,
  ImReadyDetail,
  ImUnreadChangeDetail,
} from './im-chat/im-chat-events.js';

/** The `<im-chat>` element. */
export type ImChat = Elements.ImChat;

/** The `<im-chat>` element's class, once registered: `undefined` where there is no DOM. */
export let ImChat: typeof Elements.ImChat | undefined;

/** The headless client (also `im-chat/client`). */
export type ChatClient = Client.ChatClient;
export let ChatClient: typeof Client.ChatClient;

/** What the client's failures are (also `im-chat/client`). */
export type ChatError = Client.ChatError;
export let ChatError: typeof Client.ChatError;

// The elements' classes extend HTMLElement, which exists only in a browser: elsewhere only
// the client loads.
if (typeof HTMLElement !== 'undefined' && typeof customElements !== 'undefined') {
  ({ ImChat, ChatClient, ChatError } = await import('./elements.js'));
} else {
  ({ ChatClient, ChatError } = await import('../client/index.js'));
}
