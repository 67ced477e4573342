import type { GroupConversation, Message } from '../../protocol/index.js';

/**
 * A cached group summary moved forward by one of its timeline events, so the list and
 * the header change the moment the event arrives. The next sync brings the server's
 * own summary, which replaces this one.
 */
export function applyGroupEvent<T extends GroupConversation>(group: T, message: Message, me: string): T {
  const { body } = message;
  if (body.type === 'text') {
    const mentioned = body.mentionAll || body.mentions?.includes(me);
    return mentioned ? { ...group, mentionSeq: Math.max(group.mentionSeq, message.seq) } : group;
  }
  if (body.type !== 'system') return group;
  const { event } = body;
  switch (event.kind) {
    case 'group.created':
      return group;
    case 'members.added': {
      const rejoined = event.userIds.includes(me);
      return {
        ...group,
        memberCount: group.memberCount + event.userIds.length,
        ...(rejoined ? { membership: 'active', role: 'member', muted: false } : {}),
      };
    }
    case 'member.joined':
      return {
        ...group,
        memberCount: group.memberCount + 1,
        ...(event.userId === me ? { membership: 'active', role: 'member', muted: false } : {}),
      };
    case 'member.left':
    case 'member.removed':
      return {
        ...group,
        memberCount: Math.max(0, group.memberCount - 1),
        ...(event.userId === me
          ? { membership: event.kind === 'member.left' ? 'left' : 'removed', role: null }
          : {}),
      };
    case 'member.role':
      return event.userId === me ? { ...group, role: event.role } : group;
    case 'owner.changed':
      if (event.userId === me) return { ...group, role: 'owner' };
      return message.senderId === me ? { ...group, role: 'admin' } : group;
    case 'member.muted':
      return event.userId === me ? { ...group, muted: event.muted } : group;
    case 'group.muted':
      return { ...group, mutedAll: event.muted };
    case 'group.updated': {
      const { kind: _kind, ...changes } = event;
      // A new announcement is a new version to confirm; its author has confirmed it.
      const announced =
        event.announcement === undefined
          ? {}
          : { announcementSeq: message.seq, announcementConfirmed: event.announcement !== '' && message.senderId === me };
      return { ...group, ...changes, ...announced };
    }
    case 'group.join-policy':
      return { ...group, joinPolicy: event.joinPolicy };
    case 'group.dismissed':
      return { ...group, dismissed: true };
    case 'support.agent-joined':
    case 'support.away':
    case 'support.identified':
      return group;
  }
}

/** Events after which a cached member list is out of date. */
export function changesMembers(message: Message): boolean {
  if (message.body.type !== 'system') return false;
  return !['group.created', 'group.muted', 'group.updated', 'group.join-policy', 'group.dismissed'].includes(
    message.body.event.kind,
  );
}
