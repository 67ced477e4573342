/**
 * Types of `im-chat/im-chat.iife.js`. The classic script defines the global `ImChat` with the
 * elements module's exports (registering `<im-chat>` as it runs); it defines nothing where
 * there is no DOM.
 */
import type * as Elements from './index.js';

declare global {
  /** What `im-chat.iife.js` defined, in a browser. */
  var ImChat: typeof Elements | undefined;
}

export {};
