import { randomUUID } from 'node:crypto';
import type { GroupRole, Message, SystemEvent } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import { systemClientId } from '../../groups/ids.js';
import * as rules from '../../groups/rules.js';
import { groupChange } from '../group-decisions.js';
import type { GroupChange, MemberChange } from '../group-storage.js';
import { groupColumns, memberColumns, toMessage, type GroupRow, type MemberRow } from '../rows.js';
import type { PgTransaction } from './pg-database.js';

/**
 * One group change in progress on PostgreSQL: what it read, the events it recorded, whom
 * it changed. The group's row is locked when first read, so the changes of one group
 * (and the messages appended to it) happen one after the other across processes.
 */
export class PgGroupTransaction {
  readonly #events: Message[] = [];
  readonly #changed = new Map<string, MemberChange>();
  #group: GroupRow | null | undefined;

  constructor(
    readonly tx: PgTransaction,
    readonly conversationId: string,
    readonly now: number,
  ) {}

  async group(): Promise<GroupRow | null> {
    this.#group ??=
      (await this.tx.row<GroupRow>(
        `SELECT ${groupColumns} FROM conversations WHERE id = $1 FOR UPDATE`,
        [this.conversationId],
      )) ?? null;
    return this.#group;
  }

  /** The group once `group()` found it; for changes that checked the actor first. */
  get current(): GroupRow {
    if (!this.#group) throw new Error('the group was not read');
    return this.#group;
  }

  async member(userId: string): Promise<MemberRow | null> {
    const row = await this.tx.row<MemberRow>(
      `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = $1 AND user_id = $2`,
      [this.conversationId, userId],
    );
    return row ?? null;
  }

  /** The actor as an active member of a live group, or the rule's error. */
  async actor(actorId: string): Promise<MemberRow> {
    const group = await this.group();
    const standing = group && { type: group.type, dismissed: group.dismissed_at !== null };
    return rules.requireLiveMember(standing, await this.member(actorId));
  }

  /** Appends a system event with the next seq; the sender is who made the change. */
  async record(senderId: string, event: SystemEvent): Promise<Message> {
    const taken = await this.tx.row<{ last_seq: number }>(
      `UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $2)
       WHERE id = $1 RETURNING last_seq`,
      [this.conversationId, this.now],
    );
    if (!taken) throw new CommandError('not_found', 'no such group');
    const row = {
      id: randomUUID(),
      conversation_id: this.conversationId,
      seq: taken.last_seq,
      sender_id: senderId,
      client_id: systemClientId(),
      body: JSON.stringify({ type: 'system', event }),
      created_at: this.now,
      reply_to: null,
      edited_at: null,
    };
    await this.tx.run(
      `INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
       VALUES ($1, $2, $3, $4, $5, 'system', $6, $7)`,
      [row.id, row.conversation_id, row.seq, row.sender_id, row.client_id, row.body, row.created_at],
    );
    this.tx.touchConversation(this.conversationId);
    const message = toMessage(row);
    this.#events.push(message);
    return message;
  }

  /** Makes the users active members who have read up to `seq` (the event that let them in). */
  async activate(userIds: readonly string[], role: GroupRole, seq: number): Promise<void> {
    await this.tx.run(
      `INSERT INTO conversation_members (conversation_id, user_id, read_seq, delivered_seq, role,
         muted, state, joined_at, left_seq)
       SELECT $1, user_id, $3, $3, $4, 0, 'active', $5, NULL FROM unnest($2::text[]) AS joining (user_id)
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET
         read_seq = greatest(conversation_members.read_seq, excluded.read_seq),
         delivered_seq = greatest(conversation_members.delivered_seq, excluded.read_seq),
         role = excluded.role, muted = 0, state = 'active', joined_at = excluded.joined_at,
         left_seq = NULL`,
      [this.conversationId, userIds, seq, role, this.now],
    );
    for (const userId of userIds) {
      this.tx.touchMember(this.conversationId, userId);
      this.#changed.set(userId, { userId, role, muted: false, state: 'active' });
    }
  }

  async saveMember(member: MemberRow): Promise<void> {
    await this.tx.run(
      `UPDATE conversation_members SET role = $3, muted = $4, state = $5, left_seq = $6
       WHERE conversation_id = $1 AND user_id = $2`,
      [this.conversationId, member.user_id, member.role, member.muted, member.state, member.left_seq],
    );
    this.tx.touchMember(this.conversationId, member.user_id);
    this.#changed.set(member.user_id, {
      userId: member.user_id,
      role: member.role,
      muted: member.muted === 1,
      state: member.state,
    });
  }

  async saveGroup(changes: Partial<GroupRow>): Promise<void> {
    const group = { ...this.current, ...changes };
    await this.tx.run(
      `UPDATE conversations SET name = $2, avatar = $3, description = $4, announcement = $5,
         join_policy = $6, muted_all = $7, dismissed_at = $8, member_count = $9
       WHERE id = $1`,
      [
        group.id,
        group.name,
        group.avatar,
        group.description,
        group.announcement,
        group.join_policy,
        group.muted_all,
        group.dismissed_at,
        group.member_count,
      ],
    );
    this.#group = group;
  }

  /** Closes the join requests of these users (all of them when null). */
  async closeJoinRequests(userIds: readonly string[] | null): Promise<void> {
    await this.tx.run(
      `DELETE FROM join_requests WHERE conversation_id = $1
       AND ($2::text[] IS NULL OR user_id = ANY($2::text[]))`,
      [this.conversationId, userIds],
    );
  }

  result(): GroupChange {
    return groupChange(this.conversationId, this.#events, this.#changed.values(), this.current);
  }
}

export async function requireUsers(tx: PgTransaction, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await tx.rows<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::text[])', [ids]);
  const known = new Set(rows.map((row) => row.id));
  const missing = ids.find((id) => !known.has(id));
  if (missing !== undefined) throw new CommandError('not_found', `no user with id "${missing}"`);
}
