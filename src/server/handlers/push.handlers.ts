import { CommandError } from '../errors.js';
import { pushEndpointProblem } from '../push/push-endpoint.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** Web Push subscriptions of the caller's browsers. */
export function createPushHandlers({
  storage,
  push,
  clock,
}: HandlerDeps): CommandHandlers<'push:config' | 'push:subscribe' | 'push:unsubscribe'> {
  return {
    async 'push:config'() {
      return { publicKey: await push.publicKey() };
    },

    async 'push:subscribe'({ endpoint, keys }, { user }) {
      if (!push.enabled) throw new CommandError('forbidden', 'this server sends no pushes');
      const problem = pushEndpointProblem(endpoint, push.policy);
      if (problem) {
        throw new CommandError('invalid_payload', `invalid payload: endpoint ${problem}`, {
          issues: [{ path: 'endpoint', message: problem }],
        });
      }
      await storage.savePushSubscription(
        { endpoint, userId: user.id, p256dh: keys.p256dh, auth: keys.auth },
        clock.now(),
      );
      return {};
    },

    async 'push:unsubscribe'({ endpoint }, { user }) {
      await storage.deletePushSubscription(endpoint, user.id);
      return {};
    },
  };
}
