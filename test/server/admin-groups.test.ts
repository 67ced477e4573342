import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { startAdminServer, type AdminClient } from '../support/node/admin.js';
import { connectUser } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';

const isText = (value: string) => (message: Message) => message.body.type === 'text' && message.body.text === value;

describe('admin API: groups, members and messages', () => {
  let server: TestServer;
  let admin: AdminClient;
  beforeEach(async () => {
    ({ server, admin } = await startAdminServer());
  });
  afterEach(() => server.close());

  async function createGroup(memberIds: string[] = ['bob', 'carol']) {
    const created = await admin.post('/groups', { ownerId: 'alice', name: 'Support', memberIds });
    expect(created.status).toBe(201);
    return created.body.group.id as string;
  }

  it('creates a group whose members receive it live, and reads it back', async () => {
    const bob = await connectUser(server, 'bob');
    const created = await admin.post('/groups', {
      ownerId: 'alice',
      name: 'Order 1234',
      memberIds: ['bob'],
      announcement: 'We reply within a day',
      joinPolicy: 'closed',
    });
    expect(created.body.group).toMatchObject({
      name: 'Order 1234',
      ownerId: 'alice',
      memberCount: 2,
      joinPolicy: 'closed',
      announcement: 'We reply within a day',
      dismissed: false,
    });
    const groupId = created.body.group.id;
    const event = await bob.waitFor('message:new', (m) => m.conversationId === groupId && m.body.type === 'system');
    expect(event.body).toEqual({ type: 'system', event: { kind: 'group.created', name: 'Order 1234' } });
    expect((await admin.get(`/groups/${groupId}`)).body).toEqual(created.body);

    const unknownOwner = await admin.post('/groups', { ownerId: 'nobody', name: 'X', memberIds: [] });
    expect(unknownOwner.status).toBe(404);
    expect((await admin.get('/groups/g_nothing')).status).toBe(404);
  });

  it('reads who confirmed the announcement; one given at creation can be confirmed', async () => {
    const created = await admin.post('/groups', { ownerId: 'alice', name: 'Rules', memberIds: ['bob', 'carol'], announcement: 'Be kind' });
    const groupId = created.body.group.id as string;
    const bob = await connectUser(server, 'bob');
    const { conversations } = await bob.ok('conversation:sync', { cursor: null });
    const group = conversations.find((conversation) => conversation.id === groupId);
    if (group?.type !== 'group') throw new Error('no group in the sync');
    expect(group).toMatchObject({ announcementConfirmed: false });
    await bob.ok('group:confirm-announcement', { conversationId: groupId, announcementSeq: group.announcementSeq });

    const read = await admin.get(`/groups/${groupId}/announcement/confirmations`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      announcementSeq: group.announcementSeq,
      confirmedCount: 2,
      pendingCount: 1,
      confirmed: ['alice', 'bob'],
      pending: ['carol'],
    });
    expect((await admin.get('/groups/g_nothing/announcement/confirmations')).status).toBe(404);
  });

  it('sends as a bot member: connected members get it live, validated like a socket send', async () => {
    await admin.put('/users/shop-bot', { name: 'Shop', bot: true });
    const groupId = await createGroup(['bob', 'shop-bot']);
    const bob = await connectUser(server, 'bob');

    const sent = await admin.post(`/conversations/${groupId}/messages`, {
      senderId: 'shop-bot',
      body: { type: 'text', text: 'Order 1234 has shipped' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ duplicate: false, message: { senderId: 'shop-bot', seq: expect.any(Number) } });
    const live = await bob.waitFor('message:new', isText('Order 1234 has shipped'));
    expect(live).toEqual(sent.body.message);

    const outsider = await admin.post(`/conversations/${groupId}/messages`, {
      senderId: 'dave',
      body: { type: 'text', text: 'not a member' },
    });
    expect(outsider.status).toBe(404);
    const empty = await admin.post(`/conversations/${groupId}/messages`, { senderId: 'shop-bot', body: { type: 'text', text: ' ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues).toEqual([{ path: 'body.text', message: 'must not be empty' }]);

    await admin.put(`/groups/${groupId}/muted`, { muted: true });
    const muted = await admin.post(`/conversations/${groupId}/messages`, { senderId: 'shop-bot', body: { type: 'text', text: 'x' } });
    expect(muted.status).toBe(409);
    expect(muted.body.error.code).toBe('muted');
  });

  it('messages a user from a bot in their single chat, and lists the history', async () => {
    await admin.put('/users/shop-bot', { name: 'Shop', bot: true });
    const bob = await connectUser(server, 'bob');
    const chat = await admin.post('/single-conversations', { userIds: ['shop-bot', 'bob'] });
    expect(chat.body.conversation).toMatchObject({ type: 'single', memberIds: ['bob', 'shop-bot'], lastSeq: 0 });
    const conversationId = chat.body.conversation.id;
    for (const text of ['one', 'two', 'three']) {
      await admin.post(`/conversations/${conversationId}/messages`, { senderId: 'shop-bot', body: { type: 'text', text } });
    }
    await bob.waitFor('message:new', isText('three'));
    const page = await admin.get(`/conversations/${conversationId}/messages?beforeSeq=3&limit=5`);
    expect(page.body.messages.map((m: Message) => m.seq)).toEqual([1, 2]);
    expect(page.body.hasMore).toBe(false);
    const both = await admin.get(`/conversations/${conversationId}/messages?beforeSeq=3&afterSeq=1`);
    expect(both.status).toBe(400);
    expect((await admin.get('/conversations/s_none/messages')).status).toBe(404);
  });

  it('removes a member who stops receiving at once, adds one who receives at once', async () => {
    const groupId = await createGroup();
    const carol = await connectUser(server, 'carol');
    const dave = await connectUser(server, 'dave');
    const bob = await connectUser(server, 'bob');

    const removed = await admin.delete(`/groups/${groupId}/members/carol`);
    expect(removed.body.group.memberCount).toBe(2);
    await carol.waitFor('message:new', (m) => m.body.type === 'system' && m.body.event.kind === 'member.removed');
    const added = await admin.post(`/groups/${groupId}/members`, { userIds: ['dave'] });
    expect(added.body.group.memberCount).toBe(3);

    await admin.post(`/conversations/${groupId}/messages`, { senderId: 'alice', body: { type: 'text', text: 'after' } });
    await dave.waitFor('message:new', isText('after'));
    await bob.waitFor('message:new', isText('after'));
    expect(carol.received['message:new'].some(isText('after'))).toBe(false);
    const owner = await admin.delete(`/groups/${groupId}/members/alice`);
    expect(owner.status).toBe(403);
  });

  it('changes roles, settings and invite links with the owner\'s authority, then dismisses', async () => {
    const groupId = await createGroup();
    expect((await admin.put(`/groups/${groupId}/members/bob/role`, { role: 'admin' })).status).toBe(200);
    const members = await admin.get(`/groups/${groupId}/members?limit=10`);
    expect(members.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      ['alice', 'owner'],
      ['bob', 'admin'],
      ['carol', 'member'],
    ]);
    const renamed = await admin.patch(`/groups/${groupId}`, { name: 'Help desk', description: 'Ask us' });
    expect(renamed.body.group).toMatchObject({ name: 'Help desk', description: 'Ask us' });
    expect((await admin.patch(`/groups/${groupId}`, {})).status).toBe(400);
    expect((await admin.put(`/groups/${groupId}/join-policy`, { joinPolicy: 'approval' })).body.group.joinPolicy).toBe('approval');
    expect((await admin.put(`/groups/${groupId}/members/carol/muted`, { muted: true })).status).toBe(200);

    const invite = await admin.post(`/groups/${groupId}/invites`, { maxUses: 5 });
    expect(invite.status).toBe(201);
    const code = invite.body.invite.code;
    expect((await admin.get(`/groups/${groupId}/invites`)).body.invites.map((i: { code: string }) => i.code)).toEqual([code]);
    expect((await admin.delete(`/groups/${groupId}/invites/${code}`)).body.invite.revoked).toBe(true);
    expect((await admin.get(`/groups/${groupId}/invites`)).body.invites).toEqual([]);

    const handedOver = await admin.put(`/groups/${groupId}/members/bob/role`, { role: 'owner' });
    expect(handedOver.body.group.ownerId).toBe('bob');
    const dismissed = await admin.delete(`/groups/${groupId}`);
    expect(dismissed.body.group.dismissed).toBe(true);
    const closed = await admin.post(`/conversations/${groupId}/messages`, { senderId: 'bob', body: { type: 'text', text: 'x' } });
    expect(closed.body.error.code).toBe('group_dismissed');
  });

  it('removes a message for moderation: recalled for everyone, live, at any time', async () => {
    const groupId = await createGroup();
    const bob = await connectUser(server, 'bob');
    const carol = await connectUser(server, 'carol');
    const sent = await bob.ok('message:send', {
      conversationId: groupId,
      clientId: 'bob-spam-0001',
      body: { type: 'text', text: 'spam' },
    });
    const removed = await admin.delete(`/conversations/${groupId}/messages/${sent.message.seq}`);
    expect(removed.status).toBe(200);
    expect(removed.body.target.body).toEqual({ type: 'recalled', by: 'bob', moderated: true });
    const event = await carol.waitFor('message:new', (m) => m.body.type === 'recall');
    expect(event.body).toEqual({ type: 'recall', targetSeq: sent.message.seq, moderated: true });
    const again = await admin.delete(`/conversations/${groupId}/messages/${sent.message.seq}`);
    expect(again.body.error.code).toBe('not_editable');
    const system = await admin.delete(`/conversations/${groupId}/messages/1`);
    expect(system.status).toBe(403);
    expect((await admin.delete(`/conversations/${groupId}/messages/999`)).status).toBe(404);
  });

  it('counts unread messages per user, derived from their read position', async () => {
    const groupId = await createGroup();
    const chat = await admin.post('/single-conversations', { userIds: ['alice', 'bob'] });
    for (const text of ['a', 'b']) {
      await admin.post(`/conversations/${groupId}/messages`, { senderId: 'alice', body: { type: 'text', text } });
    }
    await admin.post(`/conversations/${chat.body.conversation.id}/messages`, { senderId: 'alice', body: { type: 'text', text: 'c' } });
    const unread = await admin.get('/users/bob/unread');
    expect(unread.body.total).toBe(3);
    expect(unread.body.conversations).toEqual([
      expect.objectContaining({ conversationId: chat.body.conversation.id, type: 'single', unreadCount: 1 }),
      expect.objectContaining({ conversationId: groupId, type: 'group', unreadCount: 2, mentioned: false }),
    ]);
    const bob = await connectUser(server, 'bob');
    await bob.ok('conversation:read', { conversationId: groupId, seq: 100 });
    expect((await admin.get('/users/bob/unread')).body.total).toBe(1);
    await bob.ok('conversation:settings', { conversationId: chat.body.conversation.id, notificationsMuted: true });
    const muted = await admin.get('/users/bob/unread');
    expect(muted.body).toMatchObject({ total: 0, conversations: [{ unreadCount: 1, notificationsMuted: true }] });
    expect((await admin.get('/users/alice/unread')).body).toEqual({ total: 0, conversations: [] });
    expect((await admin.get('/users/nobody/unread')).status).toBe(404);
  });

  it('bans a member (removed with the event), lists and lifts bans; blocks and unblocks for a user', async () => {
    const groupId = await createGroup();
    const carol = await connectUser(server, 'carol');
    const banned = await admin.put(`/groups/${groupId}/bans/carol`, {});
    expect(banned.status).toBe(200);
    expect(banned.body.group.memberCount).toBe(2);
    const removed = await carol.waitFor('message:new', (m) => m.body.type === 'system' && m.body.event.kind === 'member.removed');
    expect(removed.body).toEqual({ type: 'system', event: { kind: 'member.removed', userId: 'carol', banned: true } });
    const bans = await admin.get(`/groups/${groupId}/bans`);
    expect(bans.body.bans).toEqual([{ userId: 'carol', bannedBy: 'alice', bannedAt: expect.any(Number) }]);
    expect((await admin.post(`/groups/${groupId}/members`, { userIds: ['carol'] })).body.error.code).toBe('banned_from_group');
    expect((await admin.delete(`/groups/${groupId}/bans/carol`)).status).toBe(200);
    expect((await admin.get(`/groups/${groupId}/bans`)).body.bans).toEqual([]);
    expect((await admin.put(`/groups/${groupId}/bans/nobody`, {})).status).toBe(404);

    const aliceTab = await connectUser(server, 'alice');
    const blocked = await admin.put('/users/alice/blocked-users/bob', {});
    expect(blocked.body.blocked).toEqual([{ userId: 'bob', blockedAt: expect.any(Number) }]);
    expect(await aliceTab.waitFor('user:block-changed')).toMatchObject({ blocked: true, user: { id: 'bob' } });
    expect((await admin.get('/users/alice/blocked-users')).body.blocked.map((entry: { userId: string }) => entry.userId)).toEqual([
      'bob',
    ]);
    expect((await admin.delete('/users/alice/blocked-users/bob')).body.blocked).toEqual([]);
    expect((await admin.get('/users/nobody/blocked-users')).status).toBe(404);
  });
});
