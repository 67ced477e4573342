import type { Message, SupportConversation, User } from '../../protocol/index.js';

/**
 * A cached support conversation moved forward by one of its timeline events: the agent
 * who joined answers from now on. The next sync brings the server's own summary.
 */
export function applySupportEvent<T extends SupportConversation>(conversation: T, message: Message): T {
  const { body } = message;
  if (body.type !== 'system' || body.event.kind !== 'support.agent-joined') return conversation;
  return { ...conversation, assigneeId: body.event.agent.id };
}

/** The profiles support events carry: the customer learns who answers from them alone. */
export function profilesIn(messages: readonly Message[]): User[] {
  return messages.flatMap(({ body }) =>
    body.type === 'system' && body.event.kind === 'support.agent-joined' ? [body.event.agent] : [],
  );
}
