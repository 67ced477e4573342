/**
 * The storage contract for groups, invite links and join requests: part of
 * `describeStorageContract`, storage-agnostic like the rest of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { GroupConversation, Message, SystemEvent, User } from '../../../src/protocol/index.js';
import { Message as MessageSchema } from '../../../src/protocol/schemas.js';
import type { CreateGroupInput } from '../../../src/server/groups/model.js';
import type { Storage } from '../../../src/server/storage/storage.js';

const erin: User = { id: 'erin', name: 'erin', avatar: null };
const text = (value: string) => ({ type: 'text' as const, text: value });
const id = 'g-team';

export function describeGroupContract(context: { readonly storage: Storage }): void {
  describe('groups and invite links', () => defineGroupContract(context));
}

function defineGroupContract(context: { readonly storage: Storage }): void {
  let storage: Storage;
  let clientIds = 0;
  beforeEach(async () => {
    storage = context.storage;
    clientIds = 0;
    await storage.accounts.write.upsertUser(erin, 1000);
  });

  /** Alice owns it; Bob is an admin; Carol a member. Dave and Erin are not in it. */
  async function team(overrides: Partial<CreateGroupInput> = {}) {
    const created = await storage.groups.write.createGroup({
      id,
      ownerId: 'alice',
      name: 'Team',
      avatar: null,
      description: '',
      memberIds: ['bob', 'carol'],
      now: 2000,
      ...overrides,
    });
    await storage.groups.write.setMemberRole({ ...by('alice'), userId: 'bob', role: 'admin' });
    return created;
  }
  const by = (actorId: string, now = 3000) => ({ conversationId: id, actorId, now });
  const send = (senderId: string, body: Message['body'] = text(`message ${clientIds}`)) =>
    storage.messages.write.append({
      conversationId: id,
      senderId,
      clientId: `group-client-${++clientIds}`,
      body,
      createdAt: 4000 + clientIds,
    });
  const view = async (userId: string) =>
    (await storage.conversations.read.view(id, userId)) as GroupConversation | null;
  const timeline = async () =>
    (await storage.messages.read.history(id, { afterSeq: 0, limit: 100 })).messages.map((message) => [
      message.seq,
      message.body.type === 'system' ? message.body.event.kind : message.body.type === 'text' ? message.body.text : message.body.type,
    ]);
  const event = (message: Message | undefined): SystemEvent | undefined =>
    message?.body.type === 'system' ? message.body.event : undefined;

  describe('groups', () => {
    it('creates a group with its owner and members, recording who did it', async () => {
      const change = await storage.groups.write.createGroup({
        id,
        ownerId: 'alice',
        name: 'Team',
        avatar: 'https://example.com/team.png',
        description: 'We ship',
        memberIds: ['bob', 'carol', 'bob', 'alice'],
        now: 2000,
      });
      expect(change.events.map((message) => [message.seq, message.senderId, message.body])).toEqual([
        [1, 'alice', { type: 'system', event: { kind: 'group.created', name: 'Team' } }],
        [2, 'alice', { type: 'system', event: { kind: 'members.added', userIds: ['bob', 'carol'] } }],
      ]);
      for (const message of change.events) {
        expect(MessageSchema.safeParse(message).error).toBeUndefined();
        expect(message.createdAt).toBe(2000);
      }
      expect(change.members).toEqual([
        { userId: 'alice', role: 'owner', muted: false, state: 'active' },
        { userId: 'bob', role: 'member', muted: false, state: 'active' },
        { userId: 'carol', role: 'member', muted: false, state: 'active' },
      ]);
      expect(change.group).toEqual({ mutedAll: false, dismissed: false, memberCount: 3 });

      expect(await view('alice')).toEqual({
        id,
        type: 'group',
        lastSeq: 2,
        readSeq: 2,
        unreadCount: 0,
        lastMessage: change.events[1],
        createdAt: 2000,
        updatedAt: 2000,
        pinnedAt: null,
        notificationsMuted: false,
        hidden: false,
        markedUnread: false,
        name: 'Team',
        avatar: 'https://example.com/team.png',
        description: 'We ship',
        announcement: '',
        announcementSeq: 0,
        announcementConfirmed: false,
        memberCount: 3,
        membership: 'active',
        role: 'owner',
        muted: false,
        mutedAll: false,
        joinPolicy: 'open',
        dismissed: false,
        mentionSeq: 0,
      });
      expect(await view('carol')).toMatchObject({ role: 'member', readSeq: 2, unreadCount: 0 });
      expect(await view('dave')).toBeNull();
      expect(await storage.conversations.read.get(id)).toMatchObject({ type: 'group', lastSeq: 2 });
      expect((await storage.conversations.read.memberIds(id)).sort()).toEqual(['alice', 'bob', 'carol']);
      expect(await storage.conversations.read.idsOf('carol')).toEqual([id]);
      const access = await storage.groups.read.getConversationAccess(id);
      expect(access).toMatchObject({ type: 'group', dismissed: false, mutedAll: false });
      expect(access!.members.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
        { userId: 'alice', role: 'owner', muted: false },
        { userId: 'bob', role: 'member', muted: false },
        { userId: 'carol', role: 'member', muted: false },
      ]);
      expect(await storage.groups.read.getConversationAccess('missing')).toBeNull();
      for (const userId of ['alice', 'bob', 'carol']) {
        const listed = await storage.conversations.read.changes(userId, null, 100);
        expect(listed.conversations.map((conversation) => conversation.id)).toEqual([id]);
      }
    });

    it('creates nothing when a member does not exist', async () => {
      await expect(team({ memberIds: ['bob', 'nobody'] })).rejects.toMatchObject({ code: 'not_found' });
      expect(await storage.conversations.read.get(id)).toBeNull();
      expect(await storage.conversations.read.idsOf('alice')).toEqual([]);
    });

    it('records each change as a system event with the next seq, and no event for no change', async () => {
      await team();
      await storage.groups.write.updateGroup({ ...by('bob'), changes: { name: 'Team', announcement: 'Ship it' } });
      await storage.groups.write.updateGroup({ ...by('alice'), changes: { announcement: 'Ship it' } });
      await send('carol');
      await storage.groups.write.muteMember({ ...by('bob'), userId: 'carol', muted: true });
      await storage.groups.write.muteMember({ ...by('bob'), userId: 'carol', muted: true });
      await storage.groups.write.muteAll({ ...by('alice'), muted: true });
      await storage.groups.write.setJoinPolicy({ ...by('bob'), joinPolicy: 'approval' });
      await storage.groups.write.setJoinPolicy({ ...by('bob'), joinPolicy: 'approval' });
      await storage.groups.write.addMembers({ ...by('bob'), userIds: ['dave', 'carol'] });
      await storage.groups.write.removeMember({ ...by('bob'), userId: 'dave' });
      await storage.groups.write.leaveGroup(by('carol'));
      await storage.groups.write.transferOwnership({ ...by('alice'), userId: 'bob' });
      expect(await timeline()).toEqual([
        [1, 'group.created'],
        [2, 'members.added'],
        [3, 'member.role'],
        [4, 'group.updated'],
        [5, 'message 0'],
        [6, 'member.muted'],
        [7, 'group.muted'],
        [8, 'group.join-policy'],
        [9, 'members.added'],
        [10, 'member.removed'],
        [11, 'member.left'],
        [12, 'owner.changed'],
      ]);
      const { messages } = await storage.messages.read.history(id, { afterSeq: 3, limit: 100 });
      expect(messages.map((message) => [message.senderId, event(message)])).toEqual([
        ['bob', { kind: 'group.updated', announcement: 'Ship it' }],
        ['carol', undefined],
        ['bob', { kind: 'member.muted', userId: 'carol', muted: true }],
        ['alice', { kind: 'group.muted', muted: true }],
        ['bob', { kind: 'group.join-policy', joinPolicy: 'approval' }],
        ['bob', { kind: 'members.added', userIds: ['dave'] }],
        ['bob', { kind: 'member.removed', userId: 'dave' }],
        ['carol', { kind: 'member.left', userId: 'carol' }],
        ['alice', { kind: 'owner.changed', userId: 'bob' }],
      ]);
      expect(await view('alice')).toMatchObject({
        lastSeq: 12,
        announcement: 'Ship it',
        mutedAll: true,
        joinPolicy: 'approval',
        memberCount: 2,
        role: 'admin',
      });
      expect(await view('bob')).toMatchObject({ role: 'owner', muted: false });
    });

    it('returns what changed: events, members and the group as it now is', async () => {
      await team();
      const unchanged = await storage.groups.write.muteAll({ ...by('bob'), muted: false });
      expect(unchanged).toEqual({
        conversationId: id,
        events: [],
        members: [],
        group: { mutedAll: false, dismissed: false, memberCount: 3 },
      });
      const removed = await storage.groups.write.removeMember({ ...by('alice'), userId: 'carol' });
      expect(removed.events).toHaveLength(1);
      expect(removed.members).toEqual([
        { userId: 'carol', role: 'member', muted: false, state: 'removed' },
      ]);
      expect(removed.group.memberCount).toBe(2);
      const transfer = await storage.groups.write.transferOwnership({ ...by('alice'), userId: 'bob' });
      expect(transfer.members.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
        { userId: 'alice', role: 'admin', muted: false, state: 'active' },
        { userId: 'bob', role: 'owner', muted: false, state: 'active' },
      ]);
    });

    it('allows each change only to the roles that may make it', async () => {
      await team();
      await storage.groups.write.addMembers({ ...by('alice'), userIds: ['dave'] });
      await storage.groups.write.leaveGroup(by('dave'));
      const refusals: [string, () => Promise<unknown>, string][] = [
        // Not a member (Erin never was, Dave left): the group does not exist for them.
        ['non-member update', () => storage.groups.write.updateGroup({ ...by('erin'), changes: { name: 'X' } }), 'not_found'],
        ['former member update', () => storage.groups.write.updateGroup({ ...by('dave'), changes: { name: 'X' } }), 'not_found'],
        ['former member leave', () => storage.groups.write.leaveGroup(by('dave')), 'not_found'],
        ['non-member invite', () => storage.groups.write.createInvite({ ...by('erin'), code: 'code-1', expiresAt: null, maxUses: null }), 'not_found'],
        ['no such group', () => storage.groups.write.muteAll({ ...by('alice'), conversationId: 'missing', muted: true }), 'not_found'],
        ['member update', () => storage.groups.write.updateGroup({ ...by('carol'), changes: { name: 'X' } }), 'forbidden'],
        ['member add', () => storage.groups.write.addMembers({ ...by('carol'), userIds: ['erin'] }), 'forbidden'],
        ['member kick', () => storage.groups.write.removeMember({ ...by('carol'), userId: 'bob' }), 'forbidden'],
        ['member mute', () => storage.groups.write.muteMember({ ...by('carol'), userId: 'bob', muted: true }), 'forbidden'],
        ['member mute all', () => storage.groups.write.muteAll({ ...by('carol'), muted: true }), 'forbidden'],
        ['member policy', () => storage.groups.write.setJoinPolicy({ ...by('carol'), joinPolicy: 'closed' }), 'forbidden'],
        ['member invite', () => storage.groups.write.createInvite({ ...by('carol'), code: 'code-2', expiresAt: null, maxUses: null }), 'forbidden'],
        ['admin kicks owner', () => storage.groups.write.removeMember({ ...by('bob'), userId: 'alice' }), 'forbidden'],
        ['admin mutes owner', () => storage.groups.write.muteMember({ ...by('bob'), userId: 'alice', muted: true }), 'forbidden'],
        ['admin sets a role', () => storage.groups.write.setMemberRole({ ...by('bob'), userId: 'carol', role: 'admin' }), 'forbidden'],
        ['admin transfers', () => storage.groups.write.transferOwnership({ ...by('bob'), userId: 'carol' }), 'forbidden'],
        ['admin dismisses', () => storage.groups.write.dismissGroup(by('bob')), 'forbidden'],
        ['owner demotes self', () => storage.groups.write.setMemberRole({ ...by('alice'), userId: 'alice', role: 'member' }), 'forbidden'],
        ['owner kicks self', () => storage.groups.write.removeMember({ ...by('alice'), userId: 'alice' }), 'forbidden'],
        ['owner leaves', () => storage.groups.write.leaveGroup(by('alice')), 'owner_must_transfer'],
        ['kick a non-member', () => storage.groups.write.removeMember({ ...by('alice'), userId: 'erin' }), 'not_found'],
        ['kick a former member', () => storage.groups.write.removeMember({ ...by('alice'), userId: 'dave' }), 'not_found'],
        ['add a user who does not exist', () => storage.groups.write.addMembers({ ...by('bob'), userIds: ['nobody'] }), 'not_found'],
      ];
      const before = await timeline();
      for (const [what, attempt, code] of refusals) {
        await expect(attempt(), what).rejects.toMatchObject({ code });
      }
      expect(await timeline()).toEqual(before);

      // An admin outranks a member; the owner outranks an admin.
      await storage.groups.write.muteMember({ ...by('bob'), userId: 'carol', muted: true });
      await storage.groups.write.removeMember({ ...by('bob'), userId: 'carol' });
      await storage.groups.write.removeMember({ ...by('alice'), userId: 'bob' });
      expect((await storage.conversations.read.memberIds(id)).sort()).toEqual(['alice']);
    });

    it('keeps a former member to what they saw, and lists their conversation once', async () => {
      await team();
      await send('carol');
      await send('alice');
      const carolCursor = (await storage.conversations.read.changes('carol', null, 100)).cursor;
      const removal = await storage.groups.write.removeMember({ ...by('bob'), userId: 'carol' });
      const removedAt = removal.events[0]!;
      await send('alice');
      await storage.groups.write.updateGroup({ ...by('alice'), changes: { announcement: 'after' } });

      const seen = await view('carol');
      expect(seen).toMatchObject({
        membership: 'removed',
        role: null,
        muted: false,
        lastSeq: removedAt.seq,
        lastMessage: removedAt,
        updatedAt: removedAt.createdAt,
        unreadCount: 1,
      });
      expect(await storage.groups.read.getMembership(id, 'carol')).toEqual({
        state: 'removed',
        role: 'member',
        muted: false,
        leftSeq: removedAt.seq,
      });
      expect(await storage.groups.read.getMembership(id, 'erin')).toBeNull();
      expect(await storage.conversations.read.idsOf('carol')).toEqual([]);
      expect(await storage.conversations.read.memberIds(id)).not.toContain('carol');

      const changed = await storage.conversations.read.changes('carol', carolCursor, 100);
      expect(changed.conversations).toEqual([seen]);
      await send('alice');
      expect((await storage.conversations.read.changes('carol', changed.cursor, 100)).conversations).toEqual([]);

      expect(await storage.reads.write.markRead(id, 'carol', 99)).toEqual({ readSeq: removedAt.seq, deliveredSeq: removedAt.seq, changed: true });
      const capped = await storage.messages.read.history(id, { maxSeq: removedAt.seq, limit: 100 });
      expect(capped.messages.at(-1)).toEqual(removedAt);
      expect(capped.hasMore).toBe(false);
      const after = await storage.messages.read.history(id, { afterSeq: removedAt.seq - 1, maxSeq: removedAt.seq, limit: 1 });
      expect(after).toEqual({ messages: [removedAt], hasMore: false });
      await expect(send('carol')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('re-activates a removed member when an admin adds them again', async () => {
      await team();
      await send('alice');
      await storage.groups.write.removeMember({ ...by('alice'), userId: 'carol' });
      await send('alice');
      const added = await storage.groups.write.addMembers({ ...by('bob'), userIds: ['carol'] });
      expect(event(added.events[0])).toEqual({ kind: 'members.added', userIds: ['carol'] });
      expect(await view('carol')).toMatchObject({
        membership: 'active',
        role: 'member',
        lastSeq: added.events[0]!.seq,
        readSeq: added.events[0]!.seq,
        unreadCount: 0,
        memberCount: 3,
      });
      expect(await storage.conversations.read.idsOf('carol')).toEqual([id]);
      expect((await send('carol')).message.seq).toBe(added.events[0]!.seq + 1);
    });

    it('hands ownership over, after which the former owner may leave', async () => {
      await team();
      await storage.groups.write.muteMember({ ...by('alice'), userId: 'bob', muted: true });
      await storage.groups.write.transferOwnership({ ...by('alice'), userId: 'bob' });
      expect(await view('bob')).toMatchObject({ role: 'owner', muted: false });
      expect(await view('alice')).toMatchObject({ role: 'admin' });
      const left = await storage.groups.write.leaveGroup(by('alice'));
      expect(left.events.map((message) => [message.senderId, event(message)])).toEqual([
        ['alice', { kind: 'member.left', userId: 'alice' }],
      ]);
      expect(await view('alice')).toMatchObject({ membership: 'left', role: null, memberCount: 2 });
    });

    it('closes a dismissed group to messages, changes and links', async () => {
      await team();
      const { code } = await storage.groups.write.createInvite({ ...by('alice'), code: 'dismiss-code', expiresAt: null, maxUses: null });
      await expect(storage.groups.write.dismissGroup(by('bob'))).rejects.toMatchObject({ code: 'forbidden' });
      const dismissed = await storage.groups.write.dismissGroup(by('alice'));
      expect(event(dismissed.events[0])).toEqual({ kind: 'group.dismissed' });
      expect(dismissed.group.dismissed).toBe(true);
      expect(await view('carol')).toMatchObject({ dismissed: true, membership: 'active' });
      await expect(send('carol')).rejects.toMatchObject({ code: 'group_dismissed' });
      await expect(storage.groups.write.updateGroup({ ...by('alice'), changes: { name: 'Again' } })).rejects.toMatchObject({
        code: 'group_dismissed',
      });
      await expect(storage.groups.write.leaveGroup(by('carol'))).rejects.toMatchObject({ code: 'group_dismissed' });
      await expect(storage.groups.write.joinWithInvite({ code, userId: 'dave', now: 3000 })).rejects.toMatchObject({
        code: 'group_dismissed',
      });
      expect(await storage.groups.read.getConversationAccess(id)).toMatchObject({ dismissed: true });
      expect((await storage.conversations.read.get(id))!.lastSeq).toBe(dismissed.events[0]!.seq);
    });

    it('counts unread without system events, and marks mentions', async () => {
      await team();
      await storage.groups.write.addMembers({ ...by('alice'), userIds: ['dave'] });
      await send('alice', { ...text('hi @Carol'), mentions: ['carol'] });
      await storage.groups.write.updateGroup({ ...by('alice'), changes: { announcement: 'x' } });
      await send('bob');
      expect(await view('carol')).toMatchObject({ unreadCount: 2, mentionSeq: 5 });
      expect(await view('dave')).toMatchObject({ unreadCount: 2, mentionSeq: 0 });
      expect(await view('alice')).toMatchObject({ unreadCount: 1, mentionSeq: 0 });

      const all = await send('bob', { ...text('@all stand-up'), mentionAll: true });
      expect(await view('dave')).toMatchObject({ mentionSeq: all.message.seq });
      expect(await view('carol')).toMatchObject({ mentionSeq: all.message.seq });
      // Someone who joins after it was not mentioned: they have read up to their joining.
      await storage.groups.write.addMembers({ ...by('alice'), userIds: ['erin'] });
      const erinView = await view('erin');
      expect(erinView!.mentionSeq).toBeLessThanOrEqual(erinView!.readSeq);
    });

    it('refuses a message from someone who is not an active member, alone in its batch', async () => {
      await team();
      await storage.groups.write.leaveGroup(by('carol'));
      const results = await Promise.allSettled([send('alice'), send('carol'), send('dave'), send('bob')]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
      const seqs = (await storage.messages.read.history(id, { afterSeq: 3, limit: 10 })).messages.map((m) => m.seq);
      expect(seqs).toEqual([4, 5, 6]);
    });

    it('lists members owner first, then admins, then members, by name, in pages', async () => {
      await storage.accounts.write.upsertUser({ id: 'zed', name: 'adam', avatar: null }, 1000);
      await storage.accounts.write.upsertUser({ id: 'amy', name: 'Bea', avatar: null }, 1000);
      await team({ memberIds: ['bob', 'carol', 'dave', 'erin', 'zed', 'amy'] });
      await storage.groups.write.setMemberRole({ ...by('alice'), userId: 'erin', role: 'admin' });
      await storage.groups.write.muteMember({ ...by('alice'), userId: 'dave', muted: true });
      await storage.groups.write.leaveGroup(by('carol'));

      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await storage.groups.read.listMembers(id, { cursor, limit: 2 });
        expect(page.members.map((member) => member.userId)).toEqual(page.users.map((user) => user.id));
        ids.push(...page.members.map((member) => member.userId));
        cursor = page.cursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(ids).toEqual(['alice', 'bob', 'erin', 'zed', 'amy', 'dave']);
      expect(pages).toBe(3);

      const first = await storage.groups.read.listMembers(id, { cursor: null, limit: 200 });
      expect(first.cursor).toBeNull();
      expect(first.members[0]).toEqual({ userId: 'alice', role: 'owner', muted: false, joinedAt: 2000 });
      expect(first.members.find((member) => member.userId === 'dave')).toMatchObject({ muted: true });
      expect(first.users[0]).toEqual({ id: 'alice', name: 'Alice', avatar: null });
      await expect(storage.groups.read.listMembers(id, { cursor: 'garbage', limit: 2 })).rejects.toMatchObject({
        code: 'invalid_payload',
      });
    });
  });

  describe('invite links', () => {
    const link = (options: { expiresAt?: number | null; maxUses?: number | null; code?: string; now?: number } = {}) =>
      storage.groups.write.createInvite({
        ...by('bob', options.now),
        code: options.code ?? `code-${++clientIds}`,
        expiresAt: options.expiresAt ?? null,
        maxUses: options.maxUses ?? null,
      });

    it('creates, lists (usable only, newest first) and revokes links', async () => {
      await team();
      const first = await link({ now: 3000 });
      expect(first).toEqual({
        code: first.code,
        conversationId: id,
        createdBy: 'bob',
        createdAt: 3000,
        expiresAt: null,
        maxUses: null,
        uses: 0,
        revoked: false,
      });
      const second = await link({ now: 3100, expiresAt: 5000, maxUses: 1 });
      expect((await storage.groups.read.listInvites(id, 4000)).map((invite) => invite.code)).toEqual([
        second.code,
        first.code,
      ]);
      expect((await storage.groups.read.listInvites(id, 5000)).map((invite) => invite.code)).toEqual([first.code]);
      await storage.groups.write.joinWithInvite({ code: second.code, userId: 'dave', now: 4000 });
      expect((await storage.groups.read.listInvites(id, 4000)).map((invite) => invite.code)).toEqual([first.code]);

      const revoked = await storage.groups.write.revokeInvite({ ...by('alice'), code: first.code });
      expect(revoked).toMatchObject({ code: first.code, revoked: true });
      expect(await storage.groups.write.revokeInvite({ ...by('alice'), code: first.code })).toEqual(revoked);
      expect(await storage.groups.read.listInvites(id, 4000)).toEqual([]);
      await expect(storage.groups.write.revokeInvite({ ...by('alice'), code: 'nope' })).rejects.toMatchObject({
        code: 'invite_invalid',
      });
      await expect(storage.groups.write.revokeInvite({ ...by('carol'), code: second.code })).rejects.toMatchObject({
        code: 'forbidden',
      });
    });

    it('keeps at most the allowed number of usable links per group', async () => {
      await team();
      for (let i = 0; i < 50; i++) await link();
      await expect(link()).rejects.toMatchObject({ code: 'forbidden' });
      const [newest] = await storage.groups.read.listInvites(id, 3000);
      await storage.groups.write.revokeInvite({ ...by('bob'), code: newest!.code });
      await link();
    });

    it('joins at once with an open policy, counting one use, and records it', async () => {
      await team();
      const { code } = await link();
      expect(await storage.groups.read.previewInvite(code, 'dave', 3500)).toEqual({
        group: { id, name: 'Team', avatar: null, description: '', memberCount: 3, joinPolicy: 'open' },
        membership: 'none',
      });
      const joined = await storage.groups.write.joinWithInvite({ code, userId: 'dave', now: 3500 });
      expect(joined).toMatchObject({ status: 'joined', conversationId: id });
      const change = joined.status === 'joined' ? joined.change! : null;
      expect(change!.events.map((message) => [message.senderId, event(message)])).toEqual([
        ['dave', { kind: 'member.joined', userId: 'dave', approvedBy: null }],
      ]);
      expect(change!.members).toEqual([{ userId: 'dave', role: 'member', muted: false, state: 'active' }]);
      expect(await view('dave')).toMatchObject({ membership: 'active', memberCount: 4, unreadCount: 0 });

      // Already a member: no second use, no event.
      expect(await storage.groups.write.joinWithInvite({ code, userId: 'dave', now: 3600 })).toEqual({
        status: 'joined',
        conversationId: id,
        change: null,
      });
      expect(await storage.groups.read.previewInvite(code, 'dave', 3600)).toMatchObject({ membership: 'active' });
      expect((await storage.groups.read.listInvites(id, 3600))[0]!.uses).toBe(1);
    });

    it('tells apart every reason a link does not work, in the documented order', async () => {
      await team();
      const expiring = await link({ expiresAt: 5000 });
      const once = await link({ maxUses: 1 });
      const revoked = await link();
      await storage.groups.write.revokeInvite({ ...by('bob'), code: revoked.code });
      const join = (code: string, userId = 'dave', now = 4000) => storage.groups.write.joinWithInvite({ code, userId, now });
      const preview = (code: string, userId = 'dave', now = 4000) => storage.groups.read.previewInvite(code, userId, now);

      await expect(join('no-such-code')).rejects.toMatchObject({ code: 'invite_invalid' });
      await expect(join(revoked.code)).rejects.toMatchObject({ code: 'invite_invalid' });
      await expect(preview(revoked.code)).rejects.toMatchObject({ code: 'invite_invalid' });
      await expect(join(expiring.code, 'dave', 5000)).rejects.toMatchObject({ code: 'invite_expired' });
      await expect(preview(expiring.code, 'dave', 5000)).rejects.toMatchObject({ code: 'invite_expired' });
      await join(once.code, 'dave');
      await expect(join(once.code, 'erin')).rejects.toMatchObject({ code: 'invite_used_up' });
      // Members are answered so whatever the link's state.
      expect(await preview(once.code, 'dave')).toMatchObject({ membership: 'active' });
      expect(await preview(expiring.code, 'carol', 6000)).toMatchObject({ membership: 'active' });

      await storage.groups.write.setJoinPolicy({ ...by('bob'), joinPolicy: 'closed' });
      await expect(join(expiring.code, 'erin')).rejects.toMatchObject({ code: 'join_closed' });
      expect(await preview(expiring.code, 'carol')).toMatchObject({ membership: 'active' });
      await storage.groups.write.setJoinPolicy({ ...by('bob'), joinPolicy: 'open' });

      await storage.groups.write.removeMember({ ...by('bob'), userId: 'dave' });
      await expect(join(expiring.code, 'dave')).rejects.toMatchObject({ code: 'removed_from_group' });
      await expect(preview(expiring.code, 'dave', 9000)).rejects.toMatchObject({ code: 'removed_from_group' });
      // Whoever left may come back.
      await storage.groups.write.leaveGroup(by('carol'));
      expect(await join(expiring.code, 'carol')).toMatchObject({ status: 'joined' });

      await storage.groups.write.dismissGroup(by('alice'));
      await expect(preview(expiring.code, 'erin')).rejects.toMatchObject({ code: 'group_dismissed' });
      await expect(preview(revoked.code, 'erin')).rejects.toMatchObject({ code: 'invite_invalid' });
    });

    it('files a join request with an approval policy, once, and lets an admin decide', async () => {
      await team();
      await storage.groups.write.setJoinPolicy({ ...by('alice'), joinPolicy: 'approval' });
      const { code } = await link({ maxUses: 2 });
      const requested = await storage.groups.write.joinWithInvite({ code, userId: 'dave', now: 4000 });
      expect(requested).toEqual({
        status: 'requested',
        group: { id, name: 'Team', avatar: null, description: '', memberCount: 3, joinPolicy: 'approval' },
        request: { conversationId: id, userId: 'dave', requestedAt: 4000 },
      });
      expect(await storage.groups.write.joinWithInvite({ code, userId: 'dave', now: 4100 })).toMatchObject({
        status: 'requested',
        request: null,
      });
      expect(await storage.groups.read.previewInvite(code, 'dave', 4100)).toMatchObject({ membership: 'requested' });
      await storage.groups.write.joinWithInvite({ code, userId: 'erin', now: 4200 });
      expect((await storage.groups.read.listInvites(id, 4200)).map((invite) => invite.uses)).toEqual([]);
      // Used up by the two requests, yet each requester still sees their request.
      expect(await storage.groups.read.previewInvite(code, 'erin', 4300)).toMatchObject({ membership: 'requested' });
      expect(await storage.groups.read.listJoinRequests(id)).toEqual([
        { conversationId: id, userId: 'dave', requestedAt: 4000 },
        { conversationId: id, userId: 'erin', requestedAt: 4200 },
      ]);
      expect(await view('dave')).toBeNull();

      await expect(
        storage.groups.write.decideJoinRequest({ ...by('carol'), userId: 'dave', approve: true }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const approved = await storage.groups.write.decideJoinRequest({ ...by('bob'), userId: 'dave', approve: true });
      expect(approved.group).toMatchObject({ memberCount: 4 });
      expect(approved.change!.events.map((message) => [message.senderId, event(message)])).toEqual([
        ['dave', { kind: 'member.joined', userId: 'dave', approvedBy: 'bob' }],
      ]);
      expect(await view('dave')).toMatchObject({ membership: 'active', role: 'member' });

      const rejected = await storage.groups.write.decideJoinRequest({ ...by('alice'), userId: 'erin', approve: false });
      expect(rejected.change).toBeNull();
      expect(await view('erin')).toBeNull();
      expect(await storage.groups.read.listJoinRequests(id)).toEqual([]);
      await expect(
        storage.groups.write.decideJoinRequest({ ...by('alice'), userId: 'erin', approve: true }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lets a rejected user ask again, and answers a request by joining once the group is open', async () => {
      await team();
      await storage.groups.write.setJoinPolicy({ ...by('alice'), joinPolicy: 'approval' });
      const { code } = await link();
      await storage.groups.write.joinWithInvite({ code, userId: 'erin', now: 4000 });
      await storage.groups.write.decideJoinRequest({ ...by('alice'), userId: 'erin', approve: false });
      expect(await storage.groups.read.previewInvite(code, 'erin', 4100)).toMatchObject({ membership: 'none' });
      expect(await storage.groups.write.joinWithInvite({ code, userId: 'erin', now: 4100 })).toMatchObject({
        status: 'requested',
        request: { requestedAt: 4100 },
      });
      expect((await storage.groups.read.listInvites(id, 4100))[0]!.uses).toBe(2);

      await storage.groups.write.setJoinPolicy({ ...by('alice'), joinPolicy: 'open' });
      expect(await storage.groups.write.joinWithInvite({ code, userId: 'erin', now: 4200 })).toMatchObject({
        status: 'joined',
      });
      expect(await storage.groups.read.listJoinRequests(id)).toEqual([]);
    });
  });

  describe('announcements people confirm', () => {
    const confirm = (userId: string, announcementSeq: number) =>
      storage.groups.write.confirmAnnouncement({ conversationId: id, userId, announcementSeq });

    it('versions an announcement by its event, which its author has confirmed, and counts confirmations', async () => {
      await team();
      const { events } = await storage.groups.write.updateGroup({ ...by('bob'), changes: { announcement: 'Ship it' } });
      const seq = events[0]!.seq;
      expect(await view('carol')).toMatchObject({ announcement: 'Ship it', announcementSeq: seq, announcementConfirmed: false });
      expect(await view('bob')).toMatchObject({ announcementSeq: seq, announcementConfirmed: true });

      const { cursor } = await storage.conversations.read.changes('carol', null, 100);
      await expect(confirm('carol', seq - 1)).rejects.toMatchObject({ code: 'announcement_changed' });
      expect(await confirm('carol', seq)).toEqual({
        confirmed: true,
        announcementSeq: seq,
        announcement: 'Ship it',
        confirmedCount: 2,
        memberCount: 3,
      });
      expect(await view('carol')).toMatchObject({ announcementConfirmed: true });
      // Her other devices learn it from their next sync.
      expect((await storage.conversations.read.changes('carol', cursor, 100)).conversations).toMatchObject([
        { id, announcementConfirmed: true },
      ]);
      expect(await confirm('carol', seq)).toMatchObject({ confirmed: false, confirmedCount: 2 });
      expect(await storage.groups.read.announcementStanding(id)).toEqual({
        announcement: 'Ship it',
        announcementSeq: seq,
        members: [
          { userId: 'alice', confirmedSeq: 0 },
          { userId: 'bob', confirmedSeq: seq },
          { userId: 'carol', confirmedSeq: seq },
        ],
      });

      // A new announcement leaves everyone but its author to confirm it again.
      const next = (await storage.groups.write.updateGroup({ ...by('alice'), changes: { announcement: 'Ship it today' } }))
        .events[0]!.seq;
      expect(await view('carol')).toMatchObject({ announcementSeq: next, announcementConfirmed: false });
      expect(await view('alice')).toMatchObject({ announcementConfirmed: true });
      await expect(confirm('carol', seq)).rejects.toMatchObject({ code: 'announcement_changed' });
      await storage.groups.write.updateGroup({ ...by('alice'), changes: { announcement: '' } });
      expect(await view('alice')).toMatchObject({ announcement: '', announcementConfirmed: false });
    });

    it('takes confirmations from active members only', async () => {
      await team();
      const seq = (await storage.groups.write.updateGroup({ ...by('bob'), changes: { announcement: 'Hi' } })).events[0]!.seq;
      await expect(confirm('dave', seq)).rejects.toMatchObject({ code: 'not_found' });
      await storage.groups.write.leaveGroup(by('carol'));
      await expect(confirm('carol', seq)).rejects.toMatchObject({ code: 'not_found' });
      expect(await storage.groups.read.announcementStanding('g-none')).toBeNull();
    });
  });
  describe('bans', () => {
    it('removes and bans a member in one change, keeps the ban, refuses them by link and by adding, and lifts it', async () => {
      await team();
      const code = (await storage.groups.write.createInvite({ ...by('bob'), code: 'ban-code', expiresAt: null, maxUses: null })).code;
      const banned = await storage.groups.write.banMember({ ...by('bob', 3100), userId: 'carol' });
      expect(banned.events.map(event)).toEqual([{ kind: 'member.removed', userId: 'carol', banned: true }]);
      expect(banned.members).toEqual([{ userId: 'carol', role: 'member', muted: false, state: 'removed' }]);
      expect(banned.group.memberCount).toBe(2);
      // Someone never in the group is banned without an event.
      expect((await storage.groups.write.banMember({ ...by('alice', 3200), userId: 'erin' })).events).toEqual([]);
      expect(await storage.groups.read.listBans(id)).toEqual([
        { userId: 'erin', bannedBy: 'alice', bannedAt: 3200 },
        { userId: 'carol', bannedBy: 'bob', bannedAt: 3100 },
      ]);
      await expect(storage.groups.write.joinWithInvite({ code, userId: 'erin', now: 3300 })).rejects.toMatchObject({
        code: 'banned_from_group',
      });
      await expect(storage.groups.read.previewInvite(code, 'carol', 3300)).rejects.toMatchObject({ code: 'banned_from_group' });
      await expect(storage.groups.write.addMembers({ ...by('alice'), userIds: ['carol'] })).rejects.toMatchObject({
        code: 'banned_from_group',
      });
      expect((await storage.groups.write.liftBan({ ...by('bob'), userId: 'erin' })).events).toEqual([]);
      expect((await storage.groups.read.listBans(id)).map((ban) => ban.userId)).toEqual(['carol']);
      expect((await storage.groups.write.joinWithInvite({ code, userId: 'erin', now: 3400 })).status).toBe('joined');
      await storage.groups.write.liftBan({ ...by('bob'), userId: 'carol' });
      const added = await storage.groups.write.addMembers({ ...by('alice'), userIds: ['carol'] });
      expect(added.members.map((member) => [member.userId, member.state])).toEqual([['carol', 'active']]);
    });

    it('refuses adding someone with a block between them and the actor, either way', async () => {
      await team();
      await storage.accounts.write.setUserBlock({ blockerId: 'erin', userId: 'bob', blocked: true, now: 3000 });
      await expect(storage.groups.write.addMembers({ ...by('bob'), userIds: ['erin'] })).rejects.toMatchObject({
        code: 'recipient_unavailable',
      });
      await storage.accounts.write.setUserBlock({ blockerId: 'alice', userId: 'dave', blocked: true, now: 3000 });
      await expect(storage.groups.write.addMembers({ ...by('alice'), userIds: ['dave'] })).rejects.toMatchObject({
        code: 'recipient_unavailable',
      });
      // Others may still add them.
      expect((await storage.groups.write.addMembers({ ...by('alice'), userIds: ['erin'] })).members).toHaveLength(1);
    });
  });
}
