/** The SQL of a conversation as one member sees it (rows.ts `ConversationViewRow`). */
import { unreadTypes } from '../rows.js';
import { greatest, sql } from '../sql/sql.js';
import { supportCaseColumns, supportCaseJoins } from '../support/case-row.js';

// What a member may see ends at the event that ended their membership.
export const visibleSeq = 'coalesce(m.left_seq, c.last_seq)';

/** A former member's view is frozen: only their own changes list it again. */
export const changeVersion = sql`CASE WHEN m.state = 'active' THEN ${greatest}(c.version, m.version) ELSE m.version END`;

/**
 * Unread is counted, never stored: messages (not system events) from others after the
 * member's read position. Filter with `m.` (the member) and `c.` (the conversation).
 */
export const conversationView = sql`
  SELECT c.id, c.type, c.created_at, c.updated_at, ${visibleSeq} AS last_seq, m.read_seq,
    ${changeVersion} AS change_version,
    CASE WHEN c.type = 'single' THEN (SELECT p.user_id FROM conversation_members p
      WHERE p.conversation_id = c.id AND p.user_id <> m.user_id LIMIT 1) END AS peer_id,
    (SELECT count(*) FROM messages u
      WHERE u.conversation_id = c.id AND u.seq > m.read_seq AND u.seq <= ${visibleSeq}
        AND u.sender_id <> m.user_id AND u.type IN ${unreadTypes}) AS unread_count,
    c.name, c.avatar, c.description, c.announcement, c.join_policy, c.muted_all,
    c.dismissed_at, c.member_count, c.mention_all_seq, c.announcement_seq,
    m.state, m.role, m.muted, m.mention_seq, m.announcement_confirmed_seq, m.user_id AS member_id, ${supportCaseColumns},
    m.pinned_at, m.notifications_muted, m.hidden_seq, m.marked_unread,
    l.id AS last_id, l.sender_id AS last_sender_id, l.client_id AS last_client_id,
    l.body AS last_body, l.created_at AS last_created_at, l.reply_to AS last_reply_to,
    l.edited_at AS last_edited_at
  FROM conversation_members m
  JOIN conversations c ON c.id = m.conversation_id
  LEFT JOIN messages l ON l.conversation_id = c.id AND l.seq = ${visibleSeq}
  ${supportCaseJoins}`;
