import type { CommandHandlers, HandlerDeps } from './command.js';

/** Web Push subscriptions of the caller's browsers. */
export function createPushHandlers({
  push,
  clock,
}: HandlerDeps): CommandHandlers<'push:config' | 'push:subscribe' | 'push:unsubscribe'> {
  return {
    async 'push:config'() {
      return { publicKey: await push.publicKey() };
    },

    async 'push:subscribe'(subscription, { user }) {
      await push.subscribe(user.id, subscription, clock.now());
      return {};
    },

    async 'push:unsubscribe'({ endpoint }, { user }) {
      await push.unsubscribe(user.id, endpoint);
      return {};
    },
  };
}
