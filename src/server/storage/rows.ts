/**
 * Rows as both storage implementations read them (snake_case columns, flags as 0/1,
 * bodies as JSON text), and their conversion to protocol objects. One set of converters
 * keeps what SQLite and PostgreSQL return alike to the letter.
 */
import type {
  Conversation,
  ConversationType,
  GroupRole,
  JoinPolicy,
  Message,
  MessageBody,
  User,
} from '../../protocol/index.js';
import type { MembershipState } from '../groups/model.js';
import { toSupportCase, type SupportCaseColumns } from './support/case-row.js';

export interface UserRow {
  id: string;
  name: string;
  avatar: string | null;
}

/** A user as lists show them: with the flags the widget marks them by. */
export interface ShownUserRow extends UserRow {
  bot: number;
  deleted_at: number | null;
}

/** The columns of a `ShownUserRow`. */
export const shownUserColumns = 'id, name, avatar, bot, deleted_at';

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  body: string;
  created_at: number;
  /** ReplyRef as JSON. */
  reply_to: string | null;
  edited_at: number | null;
  /** Reactions as JSON; absent from rows that do not read it (a conversation's last message). */
  reactions?: string | null;
}

export interface ConversationRow {
  id: string;
  type: ConversationType;
  created_by: string;
  created_at: number;
  last_seq: number;
  updated_at: number;
}

/**
 * One conversation as one member sees it; `last_*` are null while it is empty. For a
 * former member, `last_seq` is the seq of the event that ended their membership.
 */
export interface ConversationViewRow extends SupportCaseColumns, GroupRow, Omit<MemberRow, 'user_id' | 'left_seq'> {
  member_id: string;
  created_at: number;
  updated_at: number;
  last_seq: number;
  read_seq: number;
  change_version: number;
  peer_id: string | null;
  unread_count: number;
  mention_all_seq: number;
  announcement_seq: number;
  mention_seq: number;
  announcement_confirmed_seq: number;
  pinned_at: number | null;
  notifications_muted: number;
  hidden_seq: number | null;
  marked_unread: number;
  last_id: string | null;
  last_sender_id: string | null;
  last_client_id: string | null;
  last_body: string | null;
  last_created_at: number | null;
  last_reply_to: string | null;
  last_edited_at: number | null;
}

export interface GroupRow {
  id: string;
  type: ConversationType;
  name: string | null;
  avatar: string | null;
  description: string;
  announcement: string;
  join_policy: JoinPolicy;
  muted_all: number;
  dismissed_at: number | null;
  member_count: number;
}

export interface MemberRow {
  user_id: string;
  role: GroupRole;
  muted: number;
  state: MembershipState;
  left_seq: number | null;
}

export const messageColumns =
  'id, conversation_id, seq, sender_id, client_id, body, created_at, reply_to, edited_at, reactions';

/** A group's own columns, as `toGroupRow` fills them: what creating and saving a group write. */
export const groupFields = [
  'name',
  'avatar',
  'description',
  'announcement',
  'join_policy',
  'muted_all',
  'dismissed_at',
  'member_count',
] as const satisfies readonly (keyof GroupRow)[];

export const groupColumns = ['id', 'type', ...groupFields].join(', ');

export const memberColumns = 'user_id, role, muted, state, left_seq';

/** Timeline entries that count as unread: messages, not events about them or the group. */
export const unreadTypes = sqlList(['text', 'image', 'file', 'video', 'voice', 'contact', 'history', 'recalled']);

/** Bodies a person sent, whose content erasing them removes (an edit carries new text, a history what they forwarded). */
export const authoredTypes = sqlList(['text', 'image', 'file', 'video', 'voice', 'contact', 'history', 'edit']);

function sqlList(types: readonly MessageBody['type'][]): string {
  return `(${types.map((type) => `'${type}'`).join(', ')})`;
}

export function toUser(row: ShownUserRow): User {
  const user: User = { id: row.id, name: row.name, avatar: row.avatar };
  if (row.bot === 1) user.bot = true;
  if (row.deleted_at !== null) user.deleted = true;
  return user;
}

export function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id,
    body: JSON.parse(row.body) as Message['body'],
    createdAt: row.created_at,
  };
  if (row.reply_to !== null) message.replyTo = JSON.parse(row.reply_to) as Message['replyTo'];
  if (row.edited_at !== null) message.editedAt = row.edited_at;
  if (row.reactions) message.reactions = JSON.parse(row.reactions) as Message['reactions'];
  return message;
}

export function toConversation(row: ConversationViewRow): Conversation {
  // The LEFT JOIN yields all last_* columns or none of them.
  const lastMessage =
    row.last_id === null
      ? null
      : toMessage({
          id: row.last_id,
          conversation_id: row.id,
          seq: row.last_seq,
          sender_id: row.last_sender_id!,
          client_id: row.last_client_id!,
          body: row.last_body!,
          created_at: row.last_created_at!,
          reply_to: row.last_reply_to,
          edited_at: row.last_edited_at,
        });
  const common = {
    id: row.id,
    lastSeq: row.last_seq,
    readSeq: row.read_seq,
    unreadCount: row.unread_count,
    lastMessage,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    pinnedAt: row.pinned_at,
    notificationsMuted: row.notifications_muted === 1,
    hidden: row.hidden_seq !== null && row.hidden_seq >= row.last_seq,
    markedUnread: row.marked_unread === 1,
  };
  if (row.type === 'single') return { ...common, type: 'single', peerId: row.peer_id! };
  const active = row.state === 'active';
  if (row.type === 'support') {
    const isCustomer = row.customer_id === row.member_id;
    return {
      ...common,
      updatedAt: active ? row.updated_at : (row.last_created_at ?? row.updated_at),
      type: 'support',
      name: row.name!,
      assigneeId: row.assignee_id,
      role: isCustomer ? 'customer' : 'agent',
      // The customer never sees the case: status, page, context are the team's.
      case: isCustomer ? null : toSupportCase(row),
    };
  }
  return {
    ...common,
    type: 'group',
    // A former member's newest activity is the event that ended their membership.
    updatedAt: active ? row.updated_at : (row.last_created_at ?? row.updated_at),
    name: row.name!,
    avatar: row.avatar,
    description: row.description,
    announcement: row.announcement,
    announcementSeq: row.announcement_seq,
    announcementConfirmed: row.announcement !== '' && row.announcement_confirmed_seq === row.announcement_seq,
    memberCount: row.member_count,
    membership: row.state,
    role: active ? row.role : null,
    muted: active && row.muted === 1,
    mutedAll: row.muted_all === 1,
    joinPolicy: row.join_policy,
    dismissed: row.dismissed_at !== null,
    mentionSeq: active ? Math.max(row.mention_seq, row.mention_all_seq) : row.mention_seq,
  };
}
