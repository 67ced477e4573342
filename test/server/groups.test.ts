import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GroupConversation, MembersResult } from '../../src/protocol/index.js';
import { conversationRoom } from '../../src/server/fan-out/rooms.js';
import type { TestClient } from '../support/node/client.js';
import {
  connectUser,
  createTeam,
  isEvent,
  moreUsers,
  sendText,
  startGroupServer,
  systemEvent,
  trySend,
} from '../support/node/groups.js';
import { testUsers, type TestServer } from '../support/node/server.js';

const seqsIn = (client: TestClient, conversationId: string) =>
  client.received['message:new']
    .filter((message) => message.conversationId === conversationId)
    .map((message) => message.seq);

async function groupIn(client: TestClient, conversationId: string): Promise<GroupConversation> {
  const { conversations } = await client.ok('conversation:sync', { cursor: null });
  const found = conversations.find((conversation) => conversation.id === conversationId);
  if (found?.type !== 'group') throw new Error(`no group ${conversationId} in the sync`);
  return found;
}

describe('groups', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startGroupServer();
  });
  afterEach(() => server.close());

  it('creates a group from the protocol: its members see it live and in their list', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const created = await alice.ok('group:create', {
      name: 'Weekend trip',
      avatar: 'https://example.com/trip.png',
      description: 'Where and when',
      memberIds: ['bob', 'carol'],
    });
    const { conversation } = created;
    expect(conversation).toMatchObject({
      type: 'group',
      name: 'Weekend trip',
      avatar: 'https://example.com/trip.png',
      description: 'Where and when',
      announcement: '',
      memberCount: 3,
      membership: 'active',
      role: 'owner',
      lastSeq: 2,
      readSeq: 2,
      unreadCount: 0,
      joinPolicy: 'open',
      dismissed: false,
    });
    expect(conversation.id).toMatch(/^g_[A-Za-z0-9_-]{22}$/);
    expect(created.users.map((user) => user.id).sort()).toEqual(['alice', 'bob', 'carol']);

    // Bob was online: his connection joined the room before the events went out.
    await bob.waitFor('message:new', (message) => message.seq === 2);
    expect(bob.received['message:new'].map(systemEvent)).toEqual([
      { kind: 'group.created', name: 'Weekend trip' },
      { kind: 'members.added', userIds: ['bob', 'carol'] },
    ]);
    expect(bob.received['message:new'].every((message) => message.senderId === 'alice')).toBe(true);
    expect(await groupIn(bob, conversation.id)).toMatchObject({ role: 'member', memberCount: 3 });

    // Carol connects later: the sync lists it, with the profiles to show it.
    const carol = await server.connect('carol');
    const sync = await carol.ok('conversation:sync', { cursor: null });
    expect(sync.conversations).toMatchObject([{ id: conversation.id, type: 'group', unreadCount: 0 }]);
    expect(sync.users).toEqual(expect.arrayContaining([testUsers.alice, testUsers.bob]));
    const reply = await sendText(carol, conversation.id, 'count me in');
    expect(await bob.waitFor('message:new', (m) => m.id === reply.message.id)).toEqual(reply.message);

    const unknown = await alice.command('group:create', { name: 'Ghosts', memberIds: ['nobody'] });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await server.storage.conversations.read.idsOf('alice')).toEqual([conversation.id]);
  });

  it('sends a group message with one storage append and one room broadcast, to every member tab', async () => {
    const extra = Array.from({ length: 40 }, (_, i) => ({ id: `member-${i}`, name: `Member ${i}`, avatar: null }));
    for (const user of extra) await server.storage.accounts.write.upsertUser(user, Date.now());
    const alice = await server.connect('alice');
    const aliceTab2 = await server.connect('alice');
    const bobTabs = [await server.connect('bob'), await server.connect('bob', { transports: ['polling'] })];
    const carol = await server.connect('carol');
    const dave = await server.connect('dave');
    const id = await createTeam(alice, ['bob', 'carol', ...extra.map((user) => user.id)], []);
    const before = (await groupIn(alice, id)).lastSeq;

    const appends = vi.spyOn(server.storage.messages.write, 'append');
    const senderSocket = server.server.io.sockets.sockets.get(alice.socket.id!)!;
    const broadcasts = vi.spyOn(senderSocket, 'to');
    const { message } = await sendText(alice, id, 'hello, all 43 of you');
    expect(appends).toHaveBeenCalledTimes(1);
    expect(broadcasts.mock.calls).toEqual([[conversationRoom(id)]]);

    for (const tab of [aliceTab2, ...bobTabs, carol]) {
      expect(await tab.waitFor('message:new', (m) => m.id === message.id)).toEqual(message);
    }
    expect(message.seq).toBe(before + 1);
    // Not to the sending tab (it has the ack), and not to a non-member.
    const barrier = await sendText(carol, id, 'barrier');
    await alice.waitFor('message:new', (m) => m.id === barrier.message.id);
    expect(alice.received['message:new'].some((m) => m.id === message.id)).toBe(false);
    expect(dave.received['message:new']).toEqual([]);
  });

  it('records every change as a system event, in seq order, synced to an offline member', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const id = await createTeam(alice, ['bob', 'carol']);
    const changes = async () => {
      await alice.ok('group:update', { conversationId: id, name: 'Team 2', announcement: 'Standup at 10' });
      await sendText(bob, id, 'noted');
      await bob.ok('group:mute-all', { conversationId: id, muted: true });
      await alice.ok('group:mute-all', { conversationId: id, muted: false });
      await bob.ok('group:add-members', { conversationId: id, userIds: ['dave'] });
      await bob.ok('group:mute-member', { conversationId: id, userId: 'dave', muted: true });
      await alice.ok('group:remove-member', { conversationId: id, userId: 'dave' });
      await alice.ok('group:set-join-policy', { conversationId: id, joinPolicy: 'approval' });
      await sendText(alice, id, 'welcome back, everyone');
    };
    await changes();

    const kinds = [
      'group.created',
      'members.added',
      'member.role',
      'group.updated',
      null,
      'group.muted',
      'group.muted',
      'members.added',
      'member.muted',
      'member.removed',
      'group.join-policy',
      null,
    ];
    // Bob was online all along: every event, each once, in order, his own included.
    await bob.waitFor('message:new', () => bob.received['message:new'].length >= kinds.length - 1);
    const live = bob.received['message:new'];
    expect(live.map((message) => message.seq)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12]);
    expect(live.map((message) => systemEvent(message)?.kind ?? null)).toEqual(
      kinds.filter((_, index) => index !== 4),
    );

    // Carol was offline throughout: sync and history bring it all, gap-free.
    const carol = await server.connect('carol');
    const group = await groupIn(carol, id);
    expect(group).toMatchObject({
      name: 'Team 2',
      announcement: 'Standup at 10',
      lastSeq: 12,
      readSeq: 2,
      // Two messages from others; the ten system events do not count.
      unreadCount: 2,
      memberCount: 3,
      mutedAll: false,
      joinPolicy: 'approval',
    });
    const history = await carol.ok('message:history', { conversationId: id, afterSeq: 0 });
    expect(history.messages.map((message) => message.seq)).toEqual(kinds.map((_, i) => i + 1));
    expect(history.messages.map((message) => systemEvent(message)?.kind ?? null)).toEqual(kinds);
    expect(systemEvent(history.messages[3]!)).toEqual({
      kind: 'group.updated',
      name: 'Team 2',
      announcement: 'Standup at 10',
    });
    expect(history.messages.slice(0, 4).map((message) => message.senderId)).toEqual([
      'alice',
      'alice',
      'alice',
      'alice',
    ]);
  });

  it('refuses posts from muted members, and from everyone but admins when all are muted', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const carol = await server.connect('carol');
    const dave = await server.connect('dave');
    const id = await createTeam(alice, ['bob', 'carol', 'dave']);

    await bob.ok('group:mute-member', { conversationId: id, userId: 'carol', muted: true });
    expect(await trySend(carol, id, 'can I?')).toMatchObject({ ok: false, error: { code: 'muted' } });
    expect((await groupIn(carol, id)).muted).toBe(true);
    await sendText(dave, id, 'I can');

    await alice.ok('group:mute-all', { conversationId: id, muted: true });
    expect(await trySend(dave, id, 'and now?')).toMatchObject({ ok: false, error: { code: 'muted' } });
    await sendText(bob, id, 'admins still can');
    await sendText(alice, id, 'so can the owner');
    await alice.ok('group:mute-all', { conversationId: id, muted: false });
    await sendText(dave, id, 'back');
    expect(await trySend(carol, id, 'still muted')).toMatchObject({ ok: false, error: { code: 'muted' } });

    // The rule outlives a restart: the cache reloads it from storage.
    await server.restart();
    const carolAgain = await server.connect('carol');
    expect(await trySend(carolAgain, id, 'after restart')).toMatchObject({
      ok: false,
      error: { code: 'muted' },
    });
    const bobAgain = await server.connect('bob');
    await bobAgain.ok('group:mute-member', { conversationId: id, userId: 'carol', muted: false });
    await sendText(carolAgain, id, 'free again');
  });

  it('stores mentions as ids of members, marks the mentioned, and keeps @all for admins', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const carol = await server.connect('carol');
    const dave = await server.connect('dave');
    const id = await createTeam(alice, ['bob', 'carol', 'dave']);

    const all = await trySend(carol, id, '@all look', { mentionAll: true });
    expect(all).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const mention = await sendText(carol, id, '@Bob @Erin look', { mentions: ['bob', 'erin', 'bob'] });
    expect(mention.message.body).toEqual({ type: 'text', text: '@Bob @Erin look', mentions: ['bob'] });
    expect(await bob.waitFor('message:new', (m) => m.id === mention.message.id)).toEqual(mention.message);

    const bobView = await groupIn(bob, id);
    expect(bobView.mentionSeq).toBe(mention.message.seq);
    expect(bobView.mentionSeq).toBeGreaterThan(bobView.readSeq);
    expect((await groupIn(dave, id)).mentionSeq).toBe(0);
    await bob.ok('conversation:read', { conversationId: id, seq: mention.message.seq });
    const read = await groupIn(bob, id);
    expect(read.mentionSeq).toBeLessThanOrEqual(read.readSeq);

    const everyone = await sendText(bob, id, '@all meeting now', { mentionAll: true });
    for (const member of [alice, carol, dave]) {
      expect((await groupIn(member, id)).mentionSeq).toBe(everyone.message.seq);
    }
    // @all has no meaning in a single chat.
    const { conversation: direct } = await alice.ok('conversation:start', { userId: 'bob' });
    expect(await trySend(alice, direct.id, '@all?', { mentionAll: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('stops a removed member at once on all their tabs; they keep what they saw', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const carolTabs = [
      await server.connect('carol'),
      await server.connect('carol'),
      await server.connect('carol', { transports: ['polling'] }),
    ];
    const id = await createTeam(alice, ['bob', 'carol']);
    const before = await sendText(alice, id, 'before');
    const carolCursor = (await carolTabs[0]!.ok('conversation:sync', { cursor: null })).cursor;

    const removed = await bob.ok('group:remove-member', { conversationId: id, userId: 'carol' });
    expect(removed.conversation.memberCount).toBe(2);
    expect(removed.users.map((user) => user.id)).toEqual(['bob', 'carol']);
    const removal = await alice.waitFor('message:new', isEvent('member.removed'));
    expect(removal).toMatchObject({ senderId: 'bob', body: { type: 'system', event: { userId: 'carol' } } });
    for (const tab of carolTabs) expect(await tab.waitFor('message:new', isEvent('member.removed'))).toEqual(removal);

    const after = await sendText(alice, id, 'after');
    await alice.ok('group:update', { conversationId: id, announcement: 'carol is gone' });
    await bob.waitFor('message:new', (m) => m.id === after.message.id);
    // A message to Carol sent after those proves they did not reach her tabs.
    const { conversation: direct } = await alice.ok('conversation:start', { userId: 'carol' });
    const ping = await sendText(alice, direct.id, 'ping');
    for (const tab of carolTabs) {
      await tab.waitFor('message:new', (m) => m.id === ping.message.id);
      // Everything up to her removal (she was online since the group began), nothing after.
      expect(seqsIn(tab, id)).toEqual(Array.from({ length: removal.seq }, (_, i) => i + 1));
    }

    const carol = carolTabs[0]!;
    const sync = await carol.ok('conversation:sync', { cursor: carolCursor });
    expect(sync.conversations.find((c) => c.id === id)).toMatchObject({
      type: 'group',
      membership: 'removed',
      role: null,
      lastSeq: removal.seq,
      lastMessage: removal,
    });
    const history = await carol.ok('message:history', { conversationId: id });
    expect(history.messages.at(-1)).toEqual(removal);
    expect(history.messages.map((m) => m.id)).toContain(before.message.id);
    const newer = await carol.ok('message:history', { conversationId: id, afterSeq: removal.seq });
    expect(newer).toEqual({ messages: [], hasMore: false });
    expect(await trySend(carol, id, 'let me back')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await carol.command('group:members', { conversationId: id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await carol.command('group:leave', { conversationId: id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    // A new tab of hers does not join the room either.
    const newTab = await server.connect('carol');
    await newTab.ok('conversation:sync', { cursor: null });
    const later = await sendText(alice, id, 'later');
    const ping2 = await sendText(alice, direct.id, 'ping 2');
    await newTab.waitFor('message:new', (m) => m.id === ping2.message.id);
    expect(newTab.received['message:new'].some((m) => m.id === later.message.id)).toBe(false);
  });

  it('makes the owner hand over before leaving; whoever leaves sees the group as left', async () => {
    const alice = await server.connect('alice');
    const aliceTab2 = await server.connect('alice');
    const bob = await server.connect('bob');
    const id = await createTeam(alice, ['bob', 'carol'], []);

    expect(await alice.command('group:leave', { conversationId: id })).toMatchObject({
      ok: false,
      error: { code: 'owner_must_transfer' },
    });
    // To oneself: nothing to hand over.
    const toSelf = await alice.ok('group:transfer-ownership', { conversationId: id, userId: 'alice' });
    expect(toSelf.conversation).toMatchObject({ role: 'owner', lastSeq: 2 });
    const transferred = await alice.ok('group:transfer-ownership', { conversationId: id, userId: 'bob' });
    expect(transferred.conversation.role).toBe('admin');
    expect(systemEvent(await bob.waitFor('message:new', isEvent('owner.changed')))).toEqual({
      kind: 'owner.changed',
      userId: 'bob',
    });
    expect((await groupIn(bob, id)).role).toBe('owner');

    const left = await alice.ok('group:leave', { conversationId: id });
    expect(left.conversation).toMatchObject({ membership: 'left', role: null, memberCount: 2 });
    const leaving = await bob.waitFor('message:new', isEvent('member.left'));
    expect(leaving.senderId).toBe('alice');
    expect(await aliceTab2.waitFor('message:new', isEvent('member.left'))).toEqual(leaving);
    const after = await sendText(bob, id, 'bye alice');
    const { conversation: direct } = await bob.ok('conversation:start', { userId: 'alice' });
    const ping = await sendText(bob, direct.id, 'ping');
    await aliceTab2.waitFor('message:new', (m) => m.id === ping.message.id);
    expect(aliceTab2.received['message:new'].some((m) => m.id === after.message.id)).toBe(false);
    expect((await groupIn(aliceTab2, id)).lastSeq).toBe(leaving.seq);
  });

  it('closes a dismissed group to posts, changes and its links', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const dave = await server.connect('dave');
    const id = await createTeam(alice, ['bob', 'carol']);
    const { invite } = await bob.ok('invite:create', { conversationId: id });

    expect(await bob.command('group:dismiss', { conversationId: id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const dismissed = await alice.ok('group:dismiss', { conversationId: id });
    expect(dismissed.conversation).toMatchObject({ dismissed: true, membership: 'active' });
    expect(systemEvent(await bob.waitFor('message:new', isEvent('group.dismissed')))).toEqual({
      kind: 'group.dismissed',
    });

    for (const [client, command, payload] of [
      [bob, 'group:update', { conversationId: id, name: 'Zombie' }],
      [alice, 'group:add-members', { conversationId: id, userIds: ['dave'] }],
      [bob, 'group:leave', { conversationId: id }],
      [bob, 'invite:create', { conversationId: id }],
      [bob, 'invite:list', { conversationId: id }],
      [dave, 'invite:preview', { code: invite.code }],
      [dave, 'invite:join', { code: invite.code }],
    ] as const) {
      const ack = await client.raw(command, payload);
      expect(ack, command).toMatchObject({ ok: false, error: { code: 'group_dismissed' } });
    }
    expect(await trySend(bob, id, 'anyone?')).toMatchObject({ ok: false, error: { code: 'group_dismissed' } });
    // What was said stays readable.
    const history = await bob.ok('message:history', { conversationId: id });
    expect(systemEvent(history.messages.at(-1)!)).toEqual({ kind: 'group.dismissed' });
    expect((await bob.ok('group:members', { conversationId: id })).members).toHaveLength(3);
  });

  it('lists members in pages: owner, admins, members, by name, with profiles', async () => {
    const alice = await server.connect('alice');
    const id = await createTeam(alice, ['dave', 'bob', 'carol', 'erin', 'frank'], ['frank', 'dave']);
    await alice.ok('group:mute-member', { conversationId: id, userId: 'carol', muted: true });
    const carol = await server.connect('carol');

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: MembersResult = await carol.ok('group:members', {
        conversationId: id,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page.members.map((member) => member.userId));
      expect(page.users.map((user) => user.id)).toEqual(page.members.map((member) => member.userId));
      cursor = page.cursor;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual([['alice', 'dave'], ['frank', 'bob'], ['carol', 'erin']]);

    const all = await carol.ok('group:members', { conversationId: id });
    expect(all.cursor).toBeNull();
    expect(all.members.map((member) => [member.userId, member.role, member.muted])).toEqual([
      ['alice', 'owner', false],
      ['dave', 'admin', false],
      ['frank', 'admin', false],
      ['bob', 'member', false],
      ['carol', 'member', true],
      ['erin', 'member', false],
    ]);
    expect(all.users).toContainEqual(moreUsers.frank);
    expect(await carol.command('group:members', { conversationId: id, cursor: 'forged' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'cursor' }] },
    });
    const outsider = await connectUser(server, 'erin');
    await outsider.ok('group:leave', { conversationId: id });
    expect(await outsider.command('group:members', { conversationId: id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('returns the original ack to a retried send, even after the sender lost the right', async () => {
    const alice = await server.connect('alice');
    const carol = await server.connect('carol');
    const id = await createTeam(alice, ['bob', 'carol']);
    const body = { type: 'text' as const, text: 'sent once' };
    const first = await carol.ok('message:send', { conversationId: id, clientId: 'carol-retry-1', body });
    await alice.ok('group:mute-member', { conversationId: id, userId: 'carol', muted: true });
    const retry = await carol.ok('message:send', { conversationId: id, clientId: 'carol-retry-1', body });
    expect(retry).toEqual({ message: first.message, duplicate: true });
    await alice.ok('group:remove-member', { conversationId: id, userId: 'carol' });
    const afterRemoval = await carol.ok('message:send', { conversationId: id, clientId: 'carol-retry-1', body });
    expect(afterRemoval).toEqual({ message: first.message, duplicate: true });
  });
});
