import type { Database } from 'better-sqlite3';
import type { Conversation, Message, User } from '../../../protocol/index.js';

export interface UserRow {
  id: string;
  name: string;
  avatar: string | null;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  body: string;
  created_at: number;
}

export interface ConversationRow {
  id: string;
  type: 'single';
  created_by: string;
  created_at: number;
  last_seq: number;
  updated_at: number;
}

/** One conversation as one member sees it; `last_*` are null while it is empty. */
export interface ConversationViewRow {
  id: string;
  created_at: number;
  updated_at: number;
  last_seq: number;
  read_seq: number;
  change_version: number;
  peer_id: string;
  unread_count: number;
  last_id: string | null;
  last_sender_id: string | null;
  last_client_id: string | null;
  last_body: string | null;
  last_created_at: number | null;
}

const messageColumns = 'id, conversation_id, seq, sender_id, client_id, body, created_at';

// Unread is counted, never stored: messages from others after the member's read position.
const conversationView = `
  SELECT c.id, c.created_at, c.updated_at, c.last_seq, m.read_seq,
    max(c.version, m.version) AS change_version,
    (SELECT p.user_id FROM conversation_members p
      WHERE p.conversation_id = c.id AND p.user_id <> m.user_id LIMIT 1) AS peer_id,
    (SELECT count(*) FROM messages u
      WHERE u.conversation_id = c.id AND u.seq > m.read_seq AND u.sender_id <> m.user_id)
      AS unread_count,
    l.id AS last_id, l.sender_id AS last_sender_id, l.client_id AS last_client_id,
    l.body AS last_body, l.created_at AS last_created_at
  FROM conversation_members m
  JOIN conversations c ON c.id = m.conversation_id
  LEFT JOIN messages l ON l.conversation_id = c.id AND l.seq = c.last_seq`;

export function prepareStatements(db: Database) {
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
    usersByIds: db.prepare<[string], UserRow>(
      `SELECT id, name, avatar FROM users WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    searchUsers: db.prepare<[{ query: string; excludeId: string; limit: number }], UserRow>(`
      SELECT id, name, avatar FROM users
      WHERE id <> @excludeId
        AND (instr(im_fold(name), im_fold(@query)) > 0 OR instr(im_fold(id), im_fold(@query)) > 0)
      ORDER BY im_fold(name), id
      LIMIT @limit`),

    insertConversation: db.prepare<
      [{ id: string; createdBy: string; now: number; version: number }],
      unknown
    >(`
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version)
      VALUES (@id, 'single', @createdBy, @now, 0, @now, @version)`),
    insertMember: db.prepare<[string, string], unknown>(
      `INSERT INTO conversation_members (conversation_id, user_id) VALUES (?, ?)`,
    ),
    conversation: db.prepare<[string], ConversationRow>(
      `SELECT id, type, created_by, created_at, last_seq, updated_at
       FROM conversations WHERE id = ?`,
    ),
    memberIds: db
      .prepare<[string], string>(
        `SELECT user_id FROM conversation_members WHERE conversation_id = ? ORDER BY user_id`,
      )
      .pluck(),
    conversationIdsOfUser: db
      .prepare<[string], string>(
        `SELECT conversation_id FROM conversation_members WHERE user_id = ?`,
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
      WHERE m.user_id = @userId AND max(c.version, m.version) > @since
        AND (c.last_seq > 0 OR c.created_by = m.user_id)
      ORDER BY change_version
      LIMIT @limit`),

    messageByClientId: db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND client_id = ?`,
    ),
    takeSeq: db.prepare<
      [{ conversationId: string; createdAt: number; version: number }],
      { last_seq: number }
    >(`
      UPDATE conversations
      SET last_seq = last_seq + 1, updated_at = max(updated_at, @createdAt), version = @version
      WHERE id = @conversationId
      RETURNING last_seq`),
    insertMessage: db.prepare<[MessageRow], unknown>(`
      INSERT INTO messages (${messageColumns})
      VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @body, @created_at)`),
    advanceOwnRead: db.prepare<[{ conversationId: string; userId: string; seq: number }], unknown>(`
      UPDATE conversation_members SET read_seq = max(read_seq, @seq)
      WHERE conversation_id = @conversationId AND user_id = @userId`),
    messagesAfter: db.prepare<[string, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?`),
    messagesBefore: db.prepare<[string, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`),

    readPosition: db.prepare<[string, string], { read_seq: number; last_seq: number }>(`
      SELECT m.read_seq, c.last_seq FROM conversation_members m
      JOIN conversations c ON c.id = m.conversation_id
      WHERE m.conversation_id = ? AND m.user_id = ?`),
    setReadSeq: db.prepare<
      [{ conversationId: string; userId: string; seq: number; version: number }],
      unknown
    >(`
      UPDATE conversation_members SET read_seq = @seq, version = @version
      WHERE conversation_id = @conversationId AND user_id = @userId`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, avatar: row.avatar };
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id,
    body: JSON.parse(row.body) as Message['body'],
    createdAt: row.created_at,
  };
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
        });
  return {
    id: row.id,
    type: 'single',
    peerId: row.peer_id,
    lastSeq: row.last_seq,
    readSeq: row.read_seq,
    unreadCount: row.unread_count,
    lastMessage,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
