import type { Prechat, PrechatField, SupportConversation, User } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { newSupportConversationId } from '../groups/ids.js';
import type { SupportChange } from '../storage/support-storage.js';
import { supportCaseEvent } from '../webhooks/events.js';
import { agentsRoom, conversationRoom, customersRoom, userRoom } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** What customers do: learn how support answers, start (or return to) their conversation, say where they are. */
export function createSupportHandlers({
  io,
  storage,
  membership,
  clock,
  support,
  visitors,
  domain,
}: HandlerDeps): CommandHandlers<'support:config' | 'support:start' | 'support:context' | 'support:claim'> {
  return {
    async 'support:config'(_payload, { socket, user }) {
      if (!(await storage.isAgent(user.id))) void socket.join(customersRoom);
      return support.config();
    },

    async 'support:start'({ page, context, prechat }, { socket, user }) {
      if (await storage.isAgent(user.id)) {
        throw new CommandError('forbidden', 'agents answer support conversations; they do not open them');
      }
      const existing = await storage.latestCaseOf(user.id);
      if (!existing) requirePrechat(support.settings.prechat, prechat);
      // A visitor is who they say they are in the form; a signed-in user is who the host says.
      const renamed = socket.data.visitor && !!prechat?.name && prechat.name !== user.name;
      const customer = renamed ? await rename(user, prechat!.name!) : user;
      const now = clock.now();
      // Only a new customer needs the write (which makes one conversation even when racing).
      const { record, created } = existing
        ? { record: existing, created: false }
        : await storage.ensureSupportConversation({
            id: newSupportConversationId(),
            customerId: user.id,
            name: support.settings.name,
            page: page ?? null,
            context: context ?? null,
            email: prechat?.email ?? null,
            now,
          });
      const { conversationId } = record;
      if (created) {
        membership.forget(conversationId);
        io.in([userRoom(user.id), agentsRoom]).socketsJoin(conversationRoom(conversationId));
        await domain.webhooks.emit(supportCaseEvent('support.conversation_created', record, user.id));
      } else {
        const change = await storage.updateCaseDetails(conversationId, { page, context, email: prechat?.email }, now);
        // A new name is news to the agents even when the case itself did not change.
        await support.publish(renamed ? { ...change, changed: true } : change);
      }
      return support.result(conversationId, customer);
    },

    async 'support:context'({ conversationId, page, context }, { user }) {
      const record = await storage.getCase(conversationId);
      if (!record || record.customerId !== user.id) {
        throw new CommandError('not_found', 'no such support conversation');
      }
      const details = { page, ...(context !== undefined ? { context } : {}) };
      await support.publish(await storage.updateCaseDetails(conversationId, details, clock.now()));
      return {};
    },

    async 'support:claim'({ visitorId, secret }, { socket, user }) {
      if (socket.data.visitor) throw new CommandError('forbidden', 'sign in to take over a visitor’s conversations');
      await visitors.requireSecret(visitorId, secret);
      const { conversationIds, events } = await storage.claimVisitor({ visitorId, user, now: clock.now() });
      const conversations: SupportConversation[] = [];
      for (const [index, conversationId] of conversationIds.entries()) {
        membership.forget(conversationId);
        const room = conversationRoom(conversationId);
        // In the room before the event, so that every tab of the user hears it.
        io.in(userRoom(user.id)).socketsJoin(room);
        io.in(userRoom(visitorId)).socketsLeave(room);
        const record = await storage.getCase(conversationId);
        if (record) await support.publish({ case: record, events: [events[index]!], changed: true } satisfies SupportChange);
        conversations.push(await support.view(conversationId, user.id));
      }
      // The visitor's tabs are done: their identity gives no more tokens.
      io.in(userRoom(visitorId)).disconnectSockets(true);
      const assignees = conversations.map((conversation) => conversation.assigneeId).filter((id) => id !== null);
      return { conversations, users: [user, ...(await storage.accounts.read.users(assignees))] };
    },
  };

  async function rename(user: User, name: string): Promise<User> {
    const renamed = { ...user, name };
    await storage.accounts.write.upsertUser(renamed, clock.now());
    return renamed;
  }
}

/** A new conversation needs the fields the team requires; `invalid_payload` names the missing ones. */
function requirePrechat(fields: { name: PrechatField; email: PrechatField }, given: Prechat | undefined): void {
  const missing = (['name', 'email'] as const).filter((field) => fields[field] === 'required' && !given?.[field]);
  if (missing.length === 0) return;
  throw new CommandError('invalid_payload', `the support team asks for ${missing.join(' and ')} first`, {
    issues: missing.map((field) => ({ path: `prechat.${field}`, message: 'is required' })),
  });
}
