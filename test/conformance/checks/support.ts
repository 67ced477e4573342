/** Section 14 of the protocol: support conversations, visitors, agents and their cases. */
import { check, CheckFailure, request, type Connection } from '../connection.js';
import type { Check, CheckContext } from '../suite.js';
import { text } from './groups.js';

interface Visitor {
  visitorId: string;
  secret: string;
  number: number;
}

async function postJson(context: CheckContext, path: string, body: unknown): Promise<Response> {
  return request(new URL(path, context.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A new anonymous visitor (14.1), connected with the token the server issues for it. */
async function connectVisitor(context: CheckContext): Promise<{ visitor: Visitor; connection: Connection }> {
  const created = await postJson(context, '/api/support/visitors', {});
  if (created.status !== 201) throw new CheckFailure(`POST /api/support/visitors answered ${created.status}`);
  const visitor = (await created.json()) as Visitor;
  check(typeof visitor.visitorId === 'string' && typeof visitor.secret === 'string', 'the visitor has no visitorId and secret');
  const issued = await postJson(context, '/api/support/visitors/token', { visitorId: visitor.visitorId, secret: visitor.secret });
  if (!issued.ok) throw new CheckFailure(`POST /api/support/visitors/token answered ${issued.status}`);
  const { token } = (await issued.json()) as { token: string };
  return { visitor, connection: await context.connectWith(token) };
}

const page = (path: string) => ({ url: `https://shop.example/${path}`, title: `The ${path} page` });

export const supportChecks: Check[] = [
  {
    name: 'support (customers): config and availability, one conversation per customer, its page; a visitor may do nothing else',
    async run(context) {
      const { connection: visitor } = await connectVisitor(context);
      const config = await visitor.ok('support:config', {});
      check(config.name.length > 0, 'support:config has no team name');
      // The connection asked support:config: an agent coming is news to it.
      const agent = await context.connectAgent('sam');
      await visitor.waitFor('support:availability', (event) => event.agentsOnline, 'support:availability with an agent online');

      const started = await visitor.ok('support:start', { page: page('lamp'), context: { productId: 'lamp' } });
      const { conversation } = started;
      check(conversation.type === 'support' && conversation.role === 'customer', 'support:start did not make a customer\'s support conversation');
      check(conversation.case === null, 'the customer sees the case');
      const again = await visitor.ok('support:start', {});
      check(again.conversation.id === conversation.id, 'a second support:start made another conversation');
      await visitor.ok('support:context', { conversationId: conversation.id, page: page('chair') });
      await visitor.fails('support:context', { conversationId: conversation.id, page: { url: 'javascript:alert(1)', title: 'x' } }, 'invalid_payload');

      const alice = await context.connect('alice');
      await alice.fails('support:context', { conversationId: conversation.id, page: page('lamp') }, 'not_found');
      await agent.fails('support:start', {}, 'forbidden');
      await visitor.fails('group:create', { name: 'Mine', memberIds: [] }, 'forbidden');
    },
  },
  {
    name: 'support (agents): the customer reaches agents; assign, resolve, reopen, details, agents; support:changed; others forbidden',
    async run(context) {
      const sam = await context.connectAgent('sam');
      const samId = context.userId('sam');
      const { connection: visitor } = await connectVisitor(context);
      const { conversation } = await visitor.ok('support:start', { page: page('lamp') });
      const conversationId = conversation.id;
      const { message } = await visitor.ok('message:send', { conversationId, clientId: context.clientId(), body: text('Is it dimmable?') });
      await sam.waitFor('message:new', (event) => event.id === message.id, 'the customer\'s message at the agent');

      const assigned = await sam.ok('support:assign', { conversationId, agentId: samId });
      check(assigned.conversation.assigneeId === samId, 'support:assign did not make the agent the assignee');
      check(assigned.conversation.role === 'agent' && assigned.conversation.case !== null, 'the agent does not see the case');
      await sam.waitFor('support:changed', (event) => event.conversationId === conversationId && event.assigneeId === samId);
      await visitor.waitFor(
        'message:new',
        (event) => event.conversationId === conversationId && event.body.type === 'system' && event.body.event.kind === 'support.agent-joined',
        'support.agent-joined at the customer',
      );
      await sam.fails('support:assign', { conversationId, agentId: context.userId('alice') }, 'not_found');

      const resolved = await sam.ok('support:resolve', { conversationId });
      check(resolved.conversation.case?.status === 'resolved', 'support:resolve did not resolve');
      await sam.waitFor('support:changed', (event) => event.conversationId === conversationId && event.case.status === 'resolved');
      const reopened = await sam.ok('support:reopen', { conversationId });
      check(reopened.conversation.case?.status === 'open', 'support:reopen did not reopen');

      const details = await sam.ok('support:details', { conversationId });
      check(details.pages.some((view) => view.url === page('lamp').url), 'support:details lacks the customer\'s page');
      const kinds: string[] = details.activity.map((entry) => entry.kind);
      check(['reopened', 'resolved', 'assigned'].every((kind) => kinds.includes(kind)), `support:details activity is ${kinds.join()}`);
      const { agents } = await sam.ok('support:agents', {});
      check(agents.some((agent) => agent.user.id === samId && agent.online), 'support:agents does not list the online agent');

      const alice = await context.connect('alice');
      await alice.fails('support:resolve', { conversationId }, 'forbidden');
      await alice.fails('support:agents', {}, 'forbidden');
      await visitor.fails('support:details', { conversationId }, 'forbidden');
    },
  },
  {
    name: 'support:claim: a signed-in user takes over a visitor’s conversation; the visitor is then refused',
    async run(context) {
      const { visitor, connection } = await connectVisitor(context);
      const { conversation } = await connection.ok('support:start', {});
      await connection.ok('message:send', { conversationId: conversation.id, clientId: context.clientId(), body: text('hello') });
      await connection.fails('support:claim', { visitorId: visitor.visitorId, secret: visitor.secret }, 'forbidden');

      const agent = await context.connectAgent('kim');
      await agent.fails('support:claim', { visitorId: visitor.visitorId, secret: visitor.secret }, 'forbidden');

      const alice = await context.connect('alice');
      await alice.fails('support:claim', { visitorId: visitor.visitorId, secret: `${visitor.secret}x` }, 'not_found');
      const claimed = await alice.ok('support:claim', { visitorId: visitor.visitorId, secret: visitor.secret });
      check(claimed.conversations.some((claimedOne) => claimedOne.id === conversation.id), 'the claim did not hand over the conversation');
      const again = await alice.ok('support:claim', { visitorId: visitor.visitorId, secret: visitor.secret });
      check(again.conversations.length === 0, 'claiming twice handed something over again');
      const bob = await context.connect('bob');
      await bob.fails('support:claim', { visitorId: visitor.visitorId, secret: visitor.secret }, 'not_found');

      const refused = await postJson(context, '/api/support/visitors/token', { visitorId: visitor.visitorId, secret: visitor.secret });
      check(refused.status === 410, `a claimed visitor's token request answered ${refused.status}, not 410`);
    },
  },
];
