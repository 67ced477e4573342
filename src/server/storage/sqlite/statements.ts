import type { Database } from 'better-sqlite3';
import type {
  Conversation,
  ConversationType,
  GroupRole,
  JoinPolicy,
  Message,
  User,
} from '../../../protocol/index.js';
import type { MembershipState } from '../../groups/rules.js';
import { prepareGroupStatements } from './group-statements.js';
import { prepareAccountStatements } from './sqlite-accounts.js';
import { prepareMessageStateStatements } from './message-state-statements.js';
import { prepareSearchStatements } from './search-statements.js';
import { preparePresenceStatements } from './sqlite-presence.js';
import { preparePushStatements } from './sqlite-push.js';
import {
  prepareSupportStatements,
  supportCaseColumns,
  supportCaseJoins,
  toSupportCase,
  type SupportCaseColumns,
} from './support-statements.js';

export interface UserRow {
  id: string;
  name: string;
  avatar: string | null;
}

/** A user as lists show them: with the flags the widget marks them by. */
interface ShownUserRow extends UserRow {
  bot: number;
  deleted_at: number | null;
}

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
export interface ConversationViewRow extends SupportCaseColumns {
  id: string;
  member_id: string;
  type: ConversationType;
  created_at: number;
  updated_at: number;
  last_seq: number;
  read_seq: number;
  change_version: number;
  peer_id: string | null;
  unread_count: number;
  name: string | null;
  avatar: string | null;
  description: string;
  announcement: string;
  join_policy: JoinPolicy;
  muted_all: number;
  dismissed_at: number | null;
  member_count: number;
  mention_all_seq: number;
  state: MembershipState;
  role: GroupRole;
  muted: number;
  mention_seq: number;
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

export const messageColumns =
  'id, conversation_id, seq, sender_id, client_id, body, created_at, reply_to, edited_at';

/** Timeline entries that count as unread: messages, not events about them or the group. */
export const unreadTypes = `('text', 'image', 'file', 'recalled')`;

// What a member may see ends at the event that ended their membership.
const visibleSeq = 'coalesce(m.left_seq, c.last_seq)';
// A former member's view is frozen: only their own changes list it again.
const changeVersion = `CASE WHEN m.state = 'active' THEN max(c.version, m.version)
  ELSE m.version END`;

// Unread is counted, never stored: messages (not system events) from others after the
// member's read position.
const conversationView = `
  SELECT c.id, c.type, c.created_at, c.updated_at, ${visibleSeq} AS last_seq, m.read_seq,
    ${changeVersion} AS change_version,
    CASE WHEN c.type = 'single' THEN (SELECT p.user_id FROM conversation_members p
      WHERE p.conversation_id = c.id AND p.user_id <> m.user_id LIMIT 1) END AS peer_id,
    (SELECT count(*) FROM messages u
      WHERE u.conversation_id = c.id AND u.seq > m.read_seq AND u.seq <= ${visibleSeq}
        AND u.sender_id <> m.user_id AND u.type IN ${unreadTypes}) AS unread_count,
    c.name, c.avatar, c.description, c.announcement, c.join_policy, c.muted_all,
    c.dismissed_at, c.member_count, c.mention_all_seq,
    m.state, m.role, m.muted, m.mention_seq, m.user_id AS member_id, ${supportCaseColumns},
    m.pinned_at, m.notifications_muted, m.hidden_seq, m.marked_unread,
    l.id AS last_id, l.sender_id AS last_sender_id, l.client_id AS last_client_id,
    l.body AS last_body, l.created_at AS last_created_at, l.reply_to AS last_reply_to,
    l.edited_at AS last_edited_at
  FROM conversation_members m
  JOIN conversations c ON c.id = m.conversation_id
  LEFT JOIN messages l ON l.conversation_id = c.id AND l.seq = ${visibleSeq}
  ${supportCaseJoins}`;

export function prepareStatements(db: Database) {
  return {
    ...prepareCoreStatements(db),
    ...prepareAccountStatements(db),
    ...prepareGroupStatements(db),
    ...prepareMessageStateStatements(db),
    ...preparePresenceStatements(db),
    ...preparePushStatements(db),
    ...prepareSearchStatements(db),
    ...prepareSupportStatements(db),
  };
}

function prepareCoreStatements(db: Database) {
  return {
    epoch: db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'epoch'`),
    nextVersion: db.prepare<[], { value: number }>(
      `UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`,
    ),

    upsertUser: db.prepare<[UserRow & { now: number }], unknown>(`
      INSERT INTO users (id, name, avatar, created_at, updated_at)
      VALUES (@id, @name, @avatar, @now, @now)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
        updated_at = excluded.updated_at
      WHERE name IS NOT excluded.name OR avatar IS NOT excluded.avatar`),
    usersByIds: db.prepare<[string], ShownUserRow>(
      `SELECT id, name, avatar, bot, deleted_at FROM users WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    // Deleted users cannot be found, so no new chat starts with them.
    searchUsers: db.prepare<[{ query: string; excludeId: string; limit: number }], ShownUserRow>(`
      SELECT id, name, avatar, bot, deleted_at FROM users
      WHERE id <> @excludeId AND deleted_at IS NULL
        AND (instr(im_fold(name), im_fold(@query)) > 0 OR instr(im_fold(id), im_fold(@query)) > 0)
      ORDER BY im_fold(name), id
      LIMIT @limit`),

    insertConversation: db.prepare<
      [{ id: string; createdBy: string; now: number; version: number }],
      unknown
    >(`
      INSERT INTO conversations
        (id, type, created_by, created_at, last_seq, updated_at, version, member_count)
      VALUES (@id, 'single', @createdBy, @now, 0, @now, @version, 2)`),
    insertMember: db.prepare<[string, string, number], unknown>(
      `INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (?, ?, ?)`,
    ),
    conversation: db.prepare<[string], ConversationRow>(
      `SELECT id, type, created_by, created_at, last_seq, updated_at
       FROM conversations WHERE id = ?`,
    ),
    memberIds: db
      .prepare<[string], string>(
        `SELECT user_id FROM conversation_members
         WHERE conversation_id = ? AND state = 'active' ORDER BY user_id`,
      )
      .pluck(),
    conversationIdsOfUser: db
      .prepare<[string], string>(
        `SELECT conversation_id FROM conversation_members WHERE user_id = ? AND state = 'active'`,
      )
      .pluck(),
    conversationView: db.prepare<[string, string], ConversationViewRow>(
      `${conversationView} WHERE m.conversation_id = ? AND m.user_id = ?`,
    ),
    // Empty conversations are listed to their creator only: the peer learns of a chat
    // when its first message arrives.
    changedConversations: db.prepare<
      [{ userId: string; since: number; limit: number }],
      ConversationViewRow
    >(`${conversationView}
      WHERE m.user_id = @userId AND ${changeVersion} > @since
        AND (c.last_seq > 0 OR c.created_by = m.user_id)
      ORDER BY change_version
      LIMIT @limit`),

    messageByClientId: db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND client_id = ?`,
    ),
    // A dismissed group's timeline is closed to messages (its last event was recorded
    // with takeEventSeq).
    takeSeq: db.prepare<
      [{ conversationId: string; createdAt: number; version: number }],
      { last_seq: number }
    >(`
      UPDATE conversations
      SET last_seq = last_seq + 1, updated_at = max(updated_at, @createdAt), version = @version
      WHERE id = @conversationId AND dismissed_at IS NULL
      RETURNING last_seq`),
    takeEventSeq: db.prepare<
      [{ conversationId: string; createdAt: number; version: number }],
      { last_seq: number }
    >(`
      UPDATE conversations
      SET last_seq = last_seq + 1, updated_at = max(updated_at, @createdAt), version = @version
      WHERE id = @conversationId
      RETURNING last_seq`),
    insertMessage: db.prepare<[MessageRow & { type: string }], unknown>(`
      INSERT INTO messages (${messageColumns}, type)
      VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @body, @created_at,
        @reply_to, @edited_at, @type)`),
    // Also the guard that the sender is still an active member: no row, no message.
    advanceOwnRead: db.prepare<[{ conversationId: string; userId: string; seq: number }], unknown>(`
      UPDATE conversation_members
      SET read_seq = max(read_seq, @seq), delivered_seq = max(delivered_seq, @seq)
      WHERE conversation_id = @conversationId AND user_id = @userId AND state = 'active'`),
    markMentioned: db.prepare<
      [{ conversationId: string; userIds: string; seq: number }],
      unknown
    >(`
      UPDATE conversation_members SET mention_seq = max(mention_seq, @seq)
      WHERE conversation_id = @conversationId AND state = 'active'
        AND user_id IN (SELECT value FROM json_each(@userIds))`),
    markMentionedAll: db.prepare<[{ conversationId: string; seq: number }], unknown>(`
      UPDATE conversations SET mention_all_seq = max(mention_all_seq, @seq)
      WHERE id = @conversationId`),
    messagesAfter: db.prepare<[string, number, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq > ? AND seq <= ? ORDER BY seq ASC LIMIT ?`),
    messagesBefore: db.prepare<[string, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`),

    readPosition: db.prepare<
      [string, string],
      { read_seq: number; delivered_seq: number; last_seq: number; marked_unread: number }
    >(`
      SELECT m.read_seq, m.delivered_seq, ${visibleSeq} AS last_seq, m.marked_unread
      FROM conversation_members m
      JOIN conversations c ON c.id = m.conversation_id
      WHERE m.conversation_id = ? AND m.user_id = ?`),
    setReadSeq: db.prepare<
      [{ conversationId: string; userId: string; seq: number; version: number }],
      unknown
    >(`
      UPDATE conversation_members
      SET read_seq = @seq, delivered_seq = max(delivered_seq, @seq), marked_unread = 0,
        version = @version
      WHERE conversation_id = @conversationId AND user_id = @userId`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

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
