/** Words for what the cache holds: conversation titles, previews, system events. */
import { withoutBidiControls } from '../protocol/bidi.js';
import { playingTime } from '../protocol/bodies.js';
import { plainText } from '../protocol/formatting.js';
import type {
  ComposedBody,
  Conversation,
  HistoryBody,
  Message,
  RecalledBody,
  ReplyRef,
  SystemEvent,
  User,
} from '../protocol/index.js';
import type { MessageKey, Translator } from './i18n/index.js';

/** Display names by user id; the id itself for someone not cached. */
export type NameOf = (userId: string) => string;

export function namesFrom(users: Iterable<User>): NameOf {
  const names = new Map<string, string>();
  for (const user of users) names.set(user.id, user.name);
  return (userId) => names.get(userId) ?? userId;
}

/**
 * The one person a conversation is with, whose face and presence it shows: the peer of a
 * single chat; in support, the agent answering (to the customer) or the customer (to
 * agents); nobody for a group.
 */
export function counterpartOf(conversation: Conversation): string | null {
  switch (conversation.type) {
    case 'single':
      return conversation.peerId;
    case 'group':
      return null;
    case 'support':
      return conversation.role === 'customer' ? conversation.assigneeId : (conversation.case?.customerId ?? null);
  }
}

/**
 * The id a conversation's avatar is coloured by: its counterpart's (the same colour as that
 * person has everywhere else), else the group's own.
 */
export function avatarIdOf(conversation: Conversation): string {
  return counterpartOf(conversation) ?? conversation.id;
}

export function conversationTitle(conversation: Conversation, nameOf: NameOf): string {
  if (conversation.type === 'group') return conversation.name;
  if (conversation.type === 'support' && conversation.role === 'customer') return conversation.name;
  const counterpart = counterpartOf(conversation);
  return counterpart === null ? conversation.id : nameOf(counterpart);
}

/** The picture of a conversation: the group's own, else its counterpart's. */
export function conversationAvatar(conversation: Conversation, users: ReadonlyMap<string, User>): string | null {
  if (conversation.type === 'group') return conversation.avatar;
  const counterpart = counterpartOf(conversation);
  return counterpart === null ? null : (users.get(counterpart)?.avatar ?? null);
}

/** Whether previews name each sender ("Sam: …"), as in conversations of more than two. */
export function namesSenders(conversation: Conversation): boolean {
  return conversation.type === 'group' || (conversation.type === 'support' && conversation.role === 'agent');
}

/** One line about a message: its text, or what a system event recorded. */
export function previewOf(
  message: Message,
  context: { t: Translator; nameOf: NameOf; me: string; group: boolean },
): string {
  const { t, nameOf, me, group } = context;
  const { body, senderId } = message;
  if (body.type === 'system') return describeEvent(senderId, body.event, t, nameOf, me);
  if (body.type === 'recall' || body.type === 'recalled') {
    if (body.moderated) return t.t('body.removed');
    const by = body.type === 'recalled' ? body.by : senderId;
    return by === me ? t.t('body.youRecalled') : t.t('body.recalledBy', { name: nameOf(by) });
  }
  if (body.type === 'reaction') {
    const name = senderId === me ? t.t('you') : nameOf(senderId);
    return t.t(body.on ? 'reaction.put' : 'reaction.taken', { name, emoji: body.emoji });
  }
  const text = summaryOf(body.type === 'edit' ? body.text : body, t);
  if (senderId === me) return t.t('youSaid', { text });
  return group ? `${nameOf(senderId)}: ${text}` : text;
}

/** A message's content in one line: the first line of its text, or what it carries. */
export function summaryOf(body: ComposedBody | HistoryBody | RecalledBody, t: Translator): string {
  switch (body.type) {
    case 'text':
      return plainText(body.text).split('\n', 1)[0]!.slice(0, 200);
    case 'image':
      return t.t('body.image');
    case 'file':
      return t.t('body.file', { name: withoutBidiControls(body.file.name) });
    case 'video':
      return t.t('body.video');
    case 'voice':
      return t.t('body.voice', { duration: playingTime(body.duration) });
    case 'contact':
      return t.t('body.contact', { name: withoutBidiControls(body.user.name) });
    case 'history':
      return t.t('body.history');
    case 'recalled':
      return t.t('body.recalled');
  }
}

/** Stands for the user in an event's sentence until it is known where in the sentence they are. */
const meMark = '\uE000';

/**
 * "Alice added Bob and Carol", "You renamed the group to …", "Alice added you"; the actor
 * is the event's sender. The messages learn which person is the user from the `select`
 * keywords `actorIs`, `userIs`, `usersIs` and `agentIs` (`you` or `other`; `usersIs` is `withYou`
 * when the user is one of several, the others being `{others}`), for the languages whose
 * verb or word order changes with the person ("Du hast…", "Vous avez…", "Вы создали…").
 * Messages that keep one form get "You" at the start of the sentence, "you" elsewhere.
 */
export function describeEvent(
  actorId: string,
  event: SystemEvent,
  t: Translator,
  nameOf: NameOf,
  me: string,
): string {
  const who = (userId: string) => (userId === me ? meMark : nameOf(userId));
  const is = (userId: string) => (userId === me ? 'you' : 'other');
  const sentence = eventSentence(actorId, event, t, who, is);
  const atStart = sentence.startsWith(meMark) ? t.t('event.actorYou') + sentence.slice(meMark.length) : sentence;
  return atStart.replaceAll(meMark, t.t('event.you'));
}

type Say = (key: MessageKey, params?: Record<string, string>, choices?: Record<string, string>) => string;

function eventSentence(
  actorId: string,
  event: SystemEvent,
  t: Translator,
  who: (userId: string) => string,
  is: (userId: string) => 'you' | 'other',
): string {
  const actor = who(actorId);
  const say: Say = (key, params = {}, choices = {}) => t.t(key, { actor, ...params }, { actorIs: is(actorId), ...choices });
  const sayTo = (key: MessageKey, userId: string) => say(key, { user: who(userId) }, { userIs: is(userId) });
  switch (event.kind) {
    case 'group.created':
      return say('event.group.created', { name: event.name });
    case 'members.added': {
      // `usersIs` is `you` when the user is the one added ("Alice vous a ajouté"), `withYou`
      // when among several, the rest in `{others}` ("Alice vous a ajouté, ainsi que Bob").
      const others = event.userIds.filter((userId) => is(userId) === 'other');
      const usersIs = others.length === event.userIds.length ? 'other' : others.length === 0 ? 'you' : 'withYou';
      return say('event.members.added', { users: t.list(event.userIds.map(who)), others: t.list(others.map(who)) }, { usersIs });
    }
    case 'member.joined':
      return event.approvedBy
        ? t.t(
            'event.member.joinedApproved',
            { user: who(event.userId), actor: who(event.approvedBy) },
            { userIs: is(event.userId), actorIs: is(event.approvedBy) },
          )
        : sayTo('event.member.joined', event.userId);
    case 'member.left':
      return sayTo('event.member.left', event.userId);
    case 'member.removed':
      return sayTo(event.banned ? 'event.member.banned' : 'event.member.removed', event.userId);
    case 'member.role':
      return sayTo(`event.member.role.${event.role}`, event.userId);
    case 'owner.changed':
      return sayTo('event.owner.changed', event.userId);
    case 'member.muted':
      return sayTo(event.muted ? 'event.member.muted' : 'event.member.unmuted', event.userId);
    case 'group.muted':
      return say(event.muted ? 'event.group.muted' : 'event.group.unmuted');
    case 'group.updated':
      return describeUpdate(event, say);
    case 'group.join-policy':
      return say(`event.group.join-policy.${event.joinPolicy}`);
    case 'group.dismissed':
      return say('event.group.dismissed');
    case 'support.agent-joined':
      return t.t('event.support.agent-joined', { agent: who(event.agent.id) }, { agentIs: is(event.agent.id) });
    case 'support.away': {
      const until = event.nextOpenAt === null ? '' : t.t('event.support.replyFrom', { time: t.dateTime(event.nextOpenAt) });
      if (event.message) return until ? `${event.message} ${until}` : event.message;
      return event.nextOpenAt === null ? t.t('event.support.away') : t.t('event.support.awayUntil', { time: t.dateTime(event.nextOpenAt) });
    }
    case 'support.identified':
      return t.t('event.support.identified', { visitor: event.visitorName, actor }, { actorIs: is(actorId) });
  }
}

function describeUpdate(event: Extract<SystemEvent, { kind: 'group.updated' }>, say: Say): string {
  const parts: string[] = [];
  if (event.name !== undefined) parts.push(say('event.group.renamed', { name: event.name }));
  if (event.avatar !== undefined) parts.push(say('event.group.avatar'));
  if (event.description !== undefined) parts.push(say('event.group.description'));
  if (event.announcement !== undefined) parts.push(say('event.group.announcement'));
  return parts.join(' · ');
}

/** What a reply's quote shows of the quoted message. */
export function quoteText(quote: ReplyRef, t: Translator): string {
  switch (quote.type) {
    case 'text':
      return quote.excerpt;
    case 'image':
      return t.t('body.image');
    case 'file':
      return t.t('body.file', { name: quote.excerpt });
    case 'video':
      return t.t('body.video');
    case 'voice':
      return t.t('body.voice', { duration: '' }).trim();
    case 'contact':
      return t.t('body.contact', { name: quote.excerpt });
    case 'history':
      return t.t('body.history');
    case 'recalled':
      return t.t('body.recalled');
  }
}

/** Why an action failed, in words: the message for its protocol code (`internal` if it has none). */
export function errorText(error: unknown, t: Translator): string {
  return t.error((error as { code?: string } | null)?.code ?? 'internal');
}
