import type { GroupRole, Message, SystemEvent } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import * as rules from '../../groups/rules.js';
import { groupChange } from '../group-decisions.js';
import type { GroupChange, MemberChange } from '../group-storage.js';
import type { GroupRow, MemberRow } from '../rows.js';
import type { Statements } from './statements.js';
import { recordSystemEvent } from './system-events.js';

/** One group change in progress: what it read, the events it recorded, whom it changed. */
export class GroupTransaction {
  readonly #events: Message[] = [];
  readonly #changed = new Map<string, MemberChange>();
  #version: number | null = null;
  #group: GroupRow | null | undefined;

  constructor(
    private readonly sql: Statements,
    readonly conversationId: string,
    readonly now: number,
  ) {}

  get group(): GroupRow | null {
    this.#group ??= this.sql.group.get(this.conversationId) ?? null;
    return this.#group;
  }

  member(userId: string): MemberRow | null {
    return this.sql.member.get(this.conversationId, userId) ?? null;
  }

  /** The actor as an active member of a live group, or the rule's error. */
  actor(actorId: string): MemberRow {
    const group = this.group;
    const standing = group && { type: group.type, dismissed: group.dismissed_at !== null };
    return rules.requireLiveMember(standing, this.member(actorId));
  }

  /** One change version for the whole transaction, taken when first needed. */
  version(): number {
    this.#version ??= this.sql.nextVersion.get()!.value;
    return this.#version;
  }

  /** Appends a system event with the next seq; the sender is who made the change. */
  record(senderId: string, event: SystemEvent): Message {
    const message = recordSystemEvent(this.sql, {
      conversationId: this.conversationId,
      senderId,
      event,
      now: this.now,
      version: this.version(),
    });
    this.#events.push(message);
    return message;
  }

  /** Makes the user an active member who has read up to `seq` (the event that let them in). */
  activate(userId: string, role: GroupRole, seq: number): void {
    this.sql.activateMember.run({
      conversationId: this.conversationId,
      userId,
      role,
      seq,
      now: this.now,
      version: this.version(),
    });
    this.#changed.set(userId, { userId, role, muted: false, state: 'active' });
  }

  saveMember(member: MemberRow): void {
    this.sql.saveMember.run({
      ...member,
      conversation_id: this.conversationId,
      version: this.version(),
    });
    this.#changed.set(member.user_id, {
      userId: member.user_id,
      role: member.role,
      muted: member.muted === 1,
      state: member.state,
    });
  }

  saveGroup(changes: Partial<GroupRow>): void {
    const group = { ...this.group!, ...changes };
    this.sql.saveGroup.run(group);
    this.#group = group;
  }

  result(): GroupChange {
    return groupChange(this.conversationId, this.#events, this.#changed.values(), this.group!);
  }
}

export function requireUsers(sql: Statements, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const known = new Set(sql.usersByIds.all(JSON.stringify(ids)).map((user) => user.id));
  const missing = ids.find((id) => !known.has(id));
  if (missing !== undefined) throw new CommandError('not_found', `no user with id "${missing}"`);
}
