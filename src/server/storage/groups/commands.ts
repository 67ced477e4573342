/**
 * Every group write: what to load for it, which decision judges it, and the one order of
 * load, decide, apply. The storage (sql.ts) supplies the transaction and its statements.
 */
import type { Message } from '../../../protocol/index.js';
import { settle, type Decision } from '../../decision.js';
import {
  decideAddMembers,
  decideBanMember,
  decideLiftBan,
  decideCreateGroup,
  decideDismissGroup,
  decideLeaveGroup,
  decideMuteAll,
  decideMuteMember,
  decideRemoveMember,
  decideSetJoinPolicy,
  decideSetMemberRole,
  decideTransferOwnership,
  decideUpdateGroup,
} from '../../groups/decisions.js';
import { decideCreateInvite, decideJoin, decideJoinRequest, decideRevokeInvite } from '../../groups/invite-decisions.js';
import type { DecidedChange, GroupActor, GroupChange, GroupSnapshot, GroupWrite } from '../../groups/model.js';
import type { GroupWrites } from './contract.js';

/** What a command's decision looks at. */
export interface SnapshotScope {
  /** The group; when absent, the group of the invite link `inviteCode`. */
  conversationId?: string;
  inviteCode?: string;
  /** Whose memberships the decision looks at. */
  memberIds: readonly string[];
  /** Users who must exist. */
  userIds?: readonly string[];
  /** Whose pending join requests the decision looks at. */
  requesterIds?: readonly string[];
  /** Count the group's links usable at this time. */
  usableInvitesAt?: number;
  /** Which of `userIds` have a block with this user, either way. */
  blocksOf?: string;
}

/** Where a write applies and what the writes before it recorded. */
export interface WriteContext {
  conversationId: string;
  now: number;
  /** The seq of the last event recorded by this command so far. */
  lastSeq: number;
}

export interface GroupCommand<R> {
  scope: SnapshotScope;
  now: number;
  decide(snapshot: GroupSnapshot): Decision<GroupWrite, R>;
}

/** What a command did: its decision's result and the events it recorded, in seq order. */
export interface Applied<R> {
  result: R;
  events: Message[];
}

/**
 * Inside the command's transaction: loads the snapshot, settles the decision (a refusal
 * throws, rolling back) and applies its writes in order, each with one statement of its
 * kind; a recorded event comes back from `apply` with its seq.
 */
export async function runCommand<R>(
  load: (scope: SnapshotScope) => Promise<GroupSnapshot>,
  apply: (write: GroupWrite, context: WriteContext) => Promise<Message | undefined>,
  command: GroupCommand<R>,
): Promise<Applied<R>> {
  const snapshot = await load(command.scope);
  const { writes, result } = settle(command.decide(snapshot));
  const conversationId = snapshot.group?.id ?? command.scope.conversationId!;
  const context: WriteContext = { conversationId, now: command.now, lastSeq: 0 };
  const events: Message[] = [];
  for (const write of writes) {
    const event = await apply(write, context);
    if (event) {
      events.push(event);
      context.lastSeq = event.seq;
    }
  }
  return { result, events };
}

/** The group writes of a backend whose `run` runs one command in one transaction. */
export function groupWrites(run: <R>(command: GroupCommand<R>) => Promise<Applied<R>>): Omit<GroupWrites, 'confirmAnnouncement'> {
  const change = async (command: GroupCommand<DecidedChange>): Promise<GroupChange> => {
    const { result, events } = await run(command);
    return withEvents(result, events);
  };
  const resultOf = async <R>(command: GroupCommand<R>): Promise<R> => (await run(command)).result;
  const by = (input: GroupActor, targetIds: readonly string[] = []): SnapshotScope => ({
    conversationId: input.conversationId,
    memberIds: [input.actorId, ...targetIds],
  });
  return {
    createGroup: (input) =>
      change({
        scope: {
          conversationId: input.id,
          memberIds: [],
          userIds: [input.ownerId, ...input.memberIds],
          blocksOf: input.ownerId,
        },
        now: input.now,
        decide: (snapshot) => decideCreateGroup(snapshot, input, input.now),
      }),
    updateGroup: (input) => change({ scope: by(input), now: input.now, decide: (s) => decideUpdateGroup(s, input) }),
    addMembers: (input) =>
      change({
        scope: { ...by(input, input.userIds), userIds: input.userIds, blocksOf: input.actorId },
        now: input.now,
        decide: (snapshot) => decideAddMembers(snapshot, input),
      }),
    removeMember: (input) =>
      change({ scope: by(input, [input.userId]), now: input.now, decide: (s) => decideRemoveMember(s, input) }),
    setMemberRole: (input) =>
      change({ scope: by(input, [input.userId]), now: input.now, decide: (s) => decideSetMemberRole(s, input) }),
    transferOwnership: (input) =>
      change({ scope: by(input, [input.userId]), now: input.now, decide: (s) => decideTransferOwnership(s, input) }),
    muteMember: (input) =>
      change({ scope: by(input, [input.userId]), now: input.now, decide: (s) => decideMuteMember(s, input) }),
    muteAll: (input) => change({ scope: by(input), now: input.now, decide: (s) => decideMuteAll(s, input) }),
    setJoinPolicy: (input) => change({ scope: by(input), now: input.now, decide: (s) => decideSetJoinPolicy(s, input) }),
    leaveGroup: (input) => change({ scope: by(input), now: input.now, decide: (s) => decideLeaveGroup(s, input) }),
    dismissGroup: (input) =>
      change({ scope: by(input), now: input.now, decide: (s) => decideDismissGroup(s, input, input.now) }),
    banMember: (input) =>
      change({
        scope: { ...by(input, [input.userId]), userIds: [input.userId] },
        now: input.now,
        decide: (s) => decideBanMember(s, input, input.now),
      }),
    liftBan: (input) =>
      change({ scope: by(input, [input.userId]), now: input.now, decide: (s) => decideLiftBan(s, input) }),

    createInvite: (input) =>
      resultOf({
        scope: { ...by(input), usableInvitesAt: input.now },
        now: input.now,
        decide: (snapshot) => decideCreateInvite(snapshot, input, input.now),
      }),
    revokeInvite: (input) =>
      resultOf({
        scope: { ...by(input), inviteCode: input.code },
        now: input.now,
        decide: (snapshot) => decideRevokeInvite(snapshot, input, input.now),
      }),
    joinWithInvite: async (input) => {
      const { result, events } = await run({
        scope: joinScope(input.code, input.userId),
        now: input.now,
        decide: (snapshot) => decideJoin(snapshot, input, input.now),
      });
      if (result.status === 'requested') return result;
      return { ...result, change: result.change && withEvents(result.change, events) };
    },
    decideJoinRequest: async (input) => {
      const { result, events } = await run({
        scope: { ...by(input, [input.userId]), requesterIds: [input.userId] },
        now: input.now,
        decide: (snapshot) => decideJoinRequest(snapshot, input),
      });
      return { ...result, change: result.change && withEvents(result.change, events) };
    },
  };
}

/** What judging a code for `userId` looks at (joining, or previewing). */
export function joinScope(code: string, userId: string): SnapshotScope {
  return { inviteCode: code, memberIds: [userId], requesterIds: [userId] };
}

function withEvents(change: DecidedChange, events: Message[]): GroupChange {
  return { conversationId: change.conversationId, events, members: change.members, group: change.group };
}
