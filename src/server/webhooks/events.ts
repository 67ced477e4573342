/**
 * The webhook events: their names, and which of them a committed event makes. A new kind
 * of event is added here (the list, and `webhookEventsOf` or a call to `Webhooks.emit`
 * where it happens), and nowhere else.
 */
import type { Message } from '../../protocol/index.js';
import type { AnnouncementConfirmed, CommittedEvent } from '../events/events.js';
import type { SupportCaseRecord } from '../support/case-decisions.js';

export const webhookEventTypes = [
  /** A message someone (or a bot) wrote: text, image or file. */
  'message.created',
  'message.edited',
  /** Recalled by its sender or a group admin, or removed by moderation. */
  'message.recalled',
  /** Someone put an emoji on a message (`on`) or took it back; `reactions` are the message's now. */
  'message.reacted',
  /** Members added by someone, or joined with an invite link. */
  'group.member_joined',
  /** A member left or was removed. */
  'group.member_left',
  /** A member confirmed a group's announcement ("Got it"); one event id per member and announcement. */
  'announcement.confirmed',
  /** A user's last connection ended while they had unread messages. */
  'user.offline_with_unread',
  /** A customer opened a support conversation (their first question). */
  'support.conversation_created',
  /** An agent took a support conversation, or routing gave it to one. */
  'support.conversation_assigned',
  /** An agent marked a support conversation resolved. */
  'support.conversation_resolved',
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

/** An event before it is queued: `orderKey` keeps one conversation's events in order. */
export interface PendingWebhookEvent {
  id: string;
  type: WebhookEventType;
  orderKey: string;
  data: Record<string, unknown>;
}

/** What a receiver gets as the request body. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  /** When the event happened, ms since the epoch. */
  createdAt: number;
  data: Record<string, unknown>;
}

/** The webhook events a committed event makes, in the order they are queued. */
export function webhookEventsOf(event: CommittedEvent): PendingWebhookEvent[] {
  switch (event.type) {
    case 'entry.added':
      return eventsOfMessage(event.entry);
    case 'timeline.changed':
      return event.entries.flatMap(eventsOfMessage);
    case 'support.case-opened':
      return [supportCaseEvent('support.conversation_created', event.record, event.by)];
    case 'support.case-resolved':
      return [supportCaseEvent('support.conversation_resolved', event.record, event.by)];
    case 'support.case-changed':
      return [];
    case 'announcement.confirmed':
      return [announcementConfirmed(event)];
  }
}

/** Its id names the member and the announcement's version, so a confirmation recorded twice is queued once. */
function announcementConfirmed(event: AnnouncementConfirmed): PendingWebhookEvent {
  const { conversationId, userId, announcementSeq, announcement, confirmedAt, confirmedCount, memberCount } = event;
  return {
    id: `evt_announcement_confirmed_${conversationId}_${announcementSeq}_${userId}`,
    type: 'announcement.confirmed',
    orderKey: conversationId,
    data: { conversationId, userId, announcementSeq, announcement, confirmedAt, confirmedCount, memberCount },
  };
}

/**
 * The webhook events a committed timeline entry makes (none for most system events).
 * Ids derive from the entry's id, so recording one twice (a retried send) queues it once.
 */
function eventsOfMessage(message: Message): PendingWebhookEvent[] {
  const { conversationId, body } = message;
  const event = (type: WebhookEventType, data: Record<string, unknown>): PendingWebhookEvent[] => [
    { id: `evt_${message.id}`, type, orderKey: conversationId, data: { conversationId, seq: message.seq, ...data } },
  ];
  switch (body.type) {
    case 'text':
    case 'image':
    case 'file':
    case 'video':
    case 'voice':
    case 'contact':
    case 'history':
      return event('message.created', { message });
    case 'edit':
      return event('message.edited', { targetSeq: body.targetSeq, editorId: message.senderId, text: body.text });
    case 'recall':
      return event('message.recalled', {
        targetSeq: body.targetSeq,
        by: message.senderId,
        moderated: body.moderated === true,
      });
    case 'reaction':
      return event('message.reacted', {
        targetSeq: body.targetSeq,
        userId: message.senderId,
        emoji: body.emoji,
        on: body.on,
        reactions: body.reactions,
      });
    case 'system': {
      const system = body.event;
      const actorId = message.senderId;
      if (system.kind === 'members.added') {
        return event('group.member_joined', { userIds: system.userIds, actorId, via: 'added' });
      }
      if (system.kind === 'member.joined') {
        return event('group.member_joined', { userIds: [system.userId], actorId, via: 'invite' });
      }
      if (system.kind === 'member.left' || system.kind === 'member.removed') {
        const reason = system.kind === 'member.left' ? 'left' : system.banned ? 'banned' : 'removed';
        return event('group.member_left', { userId: system.userId, actorId, reason });
      }
      if (system.kind === 'support.agent-joined') {
        return event('support.conversation_assigned', { agentId: system.agent.id, agent: system.agent });
      }
      return [];
    }
    default:
      return [];
  }
}

/** A support case changed status outside the timeline: opened (created) or resolved. */
function supportCaseEvent(
  type: 'support.conversation_created' | 'support.conversation_resolved',
  record: SupportCaseRecord,
  by: string | null,
): PendingWebhookEvent {
  const { conversationId, assigneeId: _assigneeId, awayNotified: _awayNotified, ...supportCase } = record;
  const at = type === 'support.conversation_created' ? supportCase.openedAt : supportCase.resolvedAt;
  return {
    id: `evt_${type.slice('support.conversation_'.length)}_${conversationId}_${at ?? 0}`,
    type,
    orderKey: conversationId,
    data: { conversationId, customerId: supportCase.customerId, status: supportCase.status, by, case: supportCase },
  };
}
