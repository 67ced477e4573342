/**
 * What committed, as the rest of the server hears of it: domain code publishes these on
 * the event stream (event-stream.ts) once its write is durable, and the stream's
 * subscribers (the live fan-out, the webhooks' queue, pushes, support's routing) each
 * take what concerns them. Every event belongs to one conversation, whose events pass
 * the stream in the order they were published.
 */
import type { ConversationType, Message, SupportChangedEvent } from '../../protocol/index.js';
import type { SupportCaseRecord } from '../support/case-decisions.js';
import type { ImSocket } from '../types.js';

/** A new entry of a timeline that a command made: a message, a recall or an edit. */
export interface EntryAdded {
  type: 'entry.added';
  conversationId: string;
  entry: Message;
  /** The connection whose command made it: the command's ack tells it, the broadcast skips it. */
  origin?: ImSocket;
  /**
   * Whom a new message is for: the conversation's members when it was sent (absent for
   * entries that notify nobody). The conversation's type says who picks whom to push.
   */
  audience?: { conversationType: ConversationType; memberIds: readonly string[] };
}

/** Timeline events that may change who is in: a group's change, a support case's news. */
export interface TimelineChanged {
  type: 'timeline.changed';
  conversationId: string;
  /** In seq order. */
  entries: readonly Message[];
  /** Members who are in: their connections join the room before the entries go out. */
  joined?: readonly string[];
  /** Those who are out: their connections leave the room after the entries (they hear why). */
  left?: readonly string[];
}

/** A customer's first question opened a support case, with its conversation. */
export interface SupportCaseOpened {
  type: 'support.case-opened';
  conversationId: string;
  record: SupportCaseRecord;
  /** The customer who asked. */
  by: string;
}

/** A case changed as the agents see it: its assignee, status or details, the customer's name. */
export interface SupportCaseChanged {
  type: 'support.case-changed';
  conversationId: string;
  change: SupportChangedEvent;
}

/** An agent resolved a case. */
export interface SupportCaseResolved {
  type: 'support.case-resolved';
  conversationId: string;
  record: SupportCaseRecord;
  /** The agent. */
  by: string;
}

/** A member confirmed a group's announcement (their "Got it"), outside the timeline. */
export interface AnnouncementConfirmed {
  type: 'announcement.confirmed';
  conversationId: string;
  userId: string;
  /** The announcement's version: the seq of the event that set it. */
  announcementSeq: number;
  announcement: string;
  /** When it was confirmed, ms since the epoch. */
  confirmedAt: number;
  /** Active members who have confirmed it now, and the active members in all. */
  confirmedCount: number;
  memberCount: number;
}

export type CommittedEvent =
  | EntryAdded
  | AnnouncementConfirmed
  | TimelineChanged
  | SupportCaseOpened
  | SupportCaseChanged
  | SupportCaseResolved;
