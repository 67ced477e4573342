import { afterEach, describe, expect, it } from 'vitest';
import type { TestClient } from '../support/node/client.js';
import { connectUser, createTeam, isEvent, sendText, startGroupServer, systemEvent, trySend } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';

const code = async (pending: Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
  const ack = await pending;
  return ack.ok ? 'ok' : ack.error!.code;
};

describe('blocking between users', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function chat() {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    await sendText(alice, conversation.id, 'before the block');
    return { alice, bob, id: conversation.id };
  }

  it('stops single-chat messages both ways with one neutral refusal, keeps the history, and unblocking lets them through', async () => {
    const { alice, bob, id } = await chat();
    const listed = await alice.ok('user:block', { userId: 'bob' });
    expect(listed.blocked).toEqual([{ userId: 'bob', blockedAt: expect.any(Number) }]);
    expect(listed.users.map((user) => user.id)).toEqual(['bob']);

    const fromBob = await trySend(bob, id, 'can you read this?');
    const fromAlice = await trySend(alice, id, 'and this?');
    expect(fromBob).toMatchObject({ ok: false, error: { code: 'recipient_unavailable' } });
    // The blocked person learns nothing the blocker's own refusal would not say.
    expect(fromAlice).toEqual(fromBob);
    const history = await bob.ok('message:history', { conversationId: id });
    expect(history.messages.map((message) => (message.body.type === 'text' ? message.body.text : null))).toEqual([
      'before the block',
    ]);
    // The chat still opens for both, with its history.
    expect((await bob.ok('conversation:start', { userId: 'alice' })).conversation.id).toBe(id);

    await alice.ok('user:unblock', { userId: 'bob' });
    await sendText(bob, id, 'after the block');
    expect((await alice.waitFor('message:new', (message) => message.senderId === 'bob')).body).toMatchObject({
      text: 'after the block',
    });
  });

  it('starts no new single chat and adds to no group between the two', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const carol = await connectUser(server, 'carol');
    await alice.ok('user:block', { userId: 'carol' });
    expect(await code(carol.command('conversation:start', { userId: 'alice' }))).toBe('recipient_unavailable');
    expect(await code(carol.command('group:create', { name: 'Party', memberIds: ['alice'] }))).toBe(
      'recipient_unavailable',
    );
    const id = await createTeam(carol, ['bob'], []);
    expect(await code(carol.command('group:add-members', { conversationId: id, userIds: ['alice'] }))).toBe(
      'recipient_unavailable',
    );
    // Groups are not filtered: someone else adds Alice, and both read each other there.
    const bob = await connectUser(server, 'bob');
    const team = await createTeam(bob, ['alice', 'carol'], []);
    await sendText(carol, team, 'hello everyone');
    expect(await alice.waitFor('message:new', (message) => message.senderId === 'carol')).toBeTruthy();
  });

  it('hides typing, receipts and presence between the two', async () => {
    const { alice, bob, id } = await chat();
    const watched = await bob.ok('presence:watch', { userIds: ['alice'] });
    expect(watched.presence).toEqual([{ userId: 'alice', online: true, lastSeenAt: null }]);
    await alice.ok('user:block', { userId: 'bob' });
    // What Bob showed of Alice goes at once.
    expect(await bob.waitFor('presence', (event) => event.userId === 'alice' && !event.online)).toEqual({
      userId: 'alice',
      online: false,
      lastSeenAt: null,
    });
    expect((await bob.ok('presence:watch', { userIds: ['alice'] })).presence).toEqual([]);
    expect((await alice.ok('presence:watch', { userIds: ['bob'] })).presence).toEqual([]);
    await bob.ok('typing:start', { conversationId: id });
    await bob.ok('conversation:read', { conversationId: id, seq: 1 });
    // A barrier: a group message sent after both reaches Alice, and she heard neither.
    const carol = await connectUser(server, 'carol');
    const team = await createTeam(carol, ['alice', 'bob'], []);
    await sendText(bob, team, 'barrier');
    await alice.waitFor('message:new', (message) => message.conversationId === team && message.body.type === 'text');
    expect(alice.received.typing).toEqual([]);
    expect(alice.received['conversation:receipt'].filter((receipt) => receipt.conversationId === id)).toEqual([]);
  });

  it("reaches the blocker's other devices live, and one that was offline on its next read of the list", async () => {
    const { alice } = await chat();
    const otherTab = await connectUser(server, 'alice');
    await alice.ok('user:block', { userId: 'bob' });
    expect(await otherTab.waitFor('user:block-changed')).toEqual({
      user: expect.objectContaining({ id: 'bob', name: 'Bob' }),
      blocked: true,
      blockedAt: expect.any(Number),
    });
    expect(alice.received['user:block-changed']).toEqual([]);
    const laterDevice = await connectUser(server, 'alice');
    expect((await laterDevice.ok('user:blocks', {})).blocked.map((entry) => entry.userId)).toEqual(['bob']);
    await otherTab.ok('user:unblock', { userId: 'bob' });
    expect(await alice.waitFor('user:block-changed', (change) => !change.blocked)).toMatchObject({ blocked: false });
    expect((await laterDevice.ok('user:blocks', {})).blocked).toEqual([]);
  });
});

describe('group bans', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function banned() {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const carol = await connectUser(server, 'carol');
    const id = await createTeam(alice);
    const { invite } = await alice.ok('invite:create', { conversationId: id });
    return { alice, carol, id, invite };
  }

  const joinCode = (client: TestClient, code: string) => client.command('invite:join', { code });

  it('removes and bans a member: the timeline says so, the link and adds refuse them, admins list and lift the ban', async () => {
    const { alice, carol, id, invite } = await banned();
    const result = await alice.ok('group:ban-member', { conversationId: id, userId: 'carol' });
    expect(result.conversation.memberCount).toBe(2);
    const removed = await carol.waitFor('message:new', isEvent('member.removed'));
    expect(systemEvent(removed)).toEqual({ kind: 'member.removed', userId: 'carol', banned: true });

    const refused = await joinCode(carol, invite.code);
    expect(refused).toMatchObject({ ok: false, error: { code: 'banned_from_group', message: "you can't join this group" } });
    expect(await code(carol.command('invite:preview', { code: invite.code }))).toBe('banned_from_group');
    expect(await code(alice.command('group:add-members', { conversationId: id, userIds: ['carol'] }))).toBe(
      'banned_from_group',
    );
    const bob = await connectUser(server, 'bob');
    const bans = await bob.ok('group:bans', { conversationId: id });
    expect(bans.bans).toEqual([{ userId: 'carol', bannedBy: 'alice', bannedAt: expect.any(Number) }]);
    expect(bans.users.map((user) => user.id)).toEqual(['carol']);
    expect(await code(carol.command('group:bans', { conversationId: id }))).toBe('not_found');

    await bob.ok('group:unban-member', { conversationId: id, userId: 'carol' });
    expect((await bob.ok('group:bans', { conversationId: id })).bans).toEqual([]);
    // Lifted, Carol is a removed member again: an admin may add her back.
    const added = await alice.ok('group:add-members', { conversationId: id, userIds: ['carol'] });
    expect(added.conversation.memberCount).toBe(3);
    await sendText(carol, id, 'back again');
  });

  it('refuses a ban by a member, and of someone of the same rank', async () => {
    const { alice, carol, id } = await banned();
    const bob = await connectUser(server, 'bob');
    expect(await code(carol.command('group:ban-member', { conversationId: id, userId: 'bob' }))).toBe('forbidden');
    await alice.ok('group:set-role', { conversationId: id, userId: 'carol', role: 'admin' });
    expect(await code(bob.command('group:ban-member', { conversationId: id, userId: 'carol' }))).toBe('forbidden');
    expect(await code(bob.command('group:ban-member', { conversationId: id, userId: 'nobody' }))).toBe('not_found');
  });

  it('bans someone who was never in the group: their join by link is refused', async () => {
    const { alice, id, invite } = await banned();
    await alice.ok('group:ban-member', { conversationId: id, userId: 'dave' });
    const dave = await connectUser(server, 'dave');
    expect(await code(joinCode(dave, invite.code))).toBe('banned_from_group');
    await alice.ok('group:unban-member', { conversationId: id, userId: 'dave' });
    expect((await dave.ok('invite:join', { code: invite.code })).status).toBe('joined');
  });
});
