/** Section 2 and 3 of the protocol: the handshake, the session and the ack envelope. */
import { check, refusal } from '../connection.js';
import type { Check } from '../suite.js';

export const handshakeChecks: Check[] = [
  {
    name: 'handshake: session:ready comes first, with the token\'s user',
    async run(context) {
      const alice = await context.connect('alice');
      const session = alice.received('session:ready')[0]!;
      check(session.user.id === context.userId('alice'), `session:ready is for ${session.user.id}`);
      check(session.expiresAt !== null && session.expiresAt > Date.now(), 'expiresAt is not the token\'s expiry');
    },
  },
  {
    name: 'handshake: no token, a forged one and an expired one are refused with their codes',
    async run(context) {
      const sub = context.userId('late');
      const cases: [string, Record<string, unknown>, string][] = [
        ['no token', {}, 'unauthenticated'],
        ['a token that is not a JWT', { token: 'not-a-jwt' }, 'unauthenticated'],
        ['a forged token', { token: await context.tokens.forged(sub) }, 'unauthenticated'],
        ['an expired token', { token: await context.tokens.mint({ sub, name: 'Late', expiresIn: -600 }) }, 'token_expired'],
      ];
      for (const [what, auth, code] of cases) {
        const error = await refusal(context.url, auth);
        check(error.message === code, `${what}: connect_error "${error.message}", not "${code}"`);
        const data = error.data as { code?: unknown; message?: unknown } | undefined;
        check(data?.code === code && typeof data.message === 'string', `${what}: connect_error data is not { code, message }`);
      }
    },
  },
  {
    name: 'acks: an unknown event gets unknown_event, a bad payload invalid_payload with issues',
    async run(context) {
      const alice = await context.connect('alice');
      await alice.fails('no:such-event' as never, {}, 'unknown_event');
      const ack = await alice.command('message:send', { conversationId: 'x', clientId: 'short', body: { type: 'text', text: '' }, extra: 1 });
      check(!ack.ok && ack.error.code === 'invalid_payload', 'a bad message:send was not refused with invalid_payload');
      const paths = (ack.error.issues ?? []).map((issue) => issue.path);
      for (const path of ['clientId', 'body.text', 'extra']) check(paths.includes(path), `issues do not name ${path}: ${paths.join(', ')}`);
      await alice.fails('user:search', 'not an object', 'invalid_payload');
    },
  },
  {
    name: 'auth:refresh: a fresh token for the same user extends the session; another user\'s is forbidden',
    async run(context) {
      const alice = await context.connect('alice');
      const fresh = await context.tokens.mint({ sub: context.userId('alice'), name: 'Alice', expiresIn: 7200 });
      const refreshed = await alice.ok('auth:refresh', { token: fresh });
      check(refreshed.expiresAt !== null && refreshed.expiresAt > Date.now() + 3600_000, 'expiresAt did not move');
      const other = await context.tokens.mint({ sub: context.userId('bob'), name: 'Bob', expiresIn: 600 });
      await alice.fails('auth:refresh', { token: other }, 'forbidden');
      await alice.fails('auth:refresh', { token: 'garbage' }, 'unauthenticated');
    },
  },
];
