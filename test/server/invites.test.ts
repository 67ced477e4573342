import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/server/clock.js';
import type { TestClient } from '../support/node/client.js';
import { manualClock } from '../support/node/clock.js';
import {
  connectUser,
  createTeam,
  isEvent,
  moreUsers,
  sendText,
  startGroupServer,
  systemEvent,
} from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';

const minute = 60_000;

describe('invite links', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function setUp(options: { clock?: Clock } = {}) {
    server = await startGroupServer(options);
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const id = await createTeam(alice, ['bob', 'carol']);
    return { alice, bob, id };
  }

  const failure = async (client: TestClient, command: 'invite:preview' | 'invite:join', code: string) => {
    const ack = await client.command(command, { code });
    return ack.ok ? 'ok' : ack.error.code;
  };

  it('makes unguessable links that admins list with their use counts and revoke', async () => {
    const { alice, bob, id } = await setUp();
    const first = (await bob.ok('invite:create', { conversationId: id })).invite;
    expect(first.code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(first).toMatchObject({ conversationId: id, createdBy: 'bob', expiresAt: null, maxUses: null, uses: 0 });
    const second = (await alice.ok('invite:create', { conversationId: id, maxUses: 3 })).invite;
    expect(second.code).not.toBe(first.code);

    const dave = await connectUser(server, 'dave');
    await dave.ok('invite:join', { code: second.code });
    const listed = await alice.ok('invite:list', { conversationId: id });
    expect(listed.invites.map((invite) => [invite.code, invite.uses]).sort()).toEqual(
      [
        [first.code, 0],
        [second.code, 1],
      ].sort(),
    );

    const revoked = await bob.ok('invite:revoke', { conversationId: id, code: first.code });
    expect(revoked.invite).toMatchObject({ code: first.code, revoked: true });
    expect((await bob.ok('invite:list', { conversationId: id })).invites.map((i) => i.code)).toEqual([second.code]);
    const erin = await connectUser(server, 'erin');
    expect(await failure(erin, 'invite:preview', first.code)).toBe('invite_invalid');
    expect(await failure(erin, 'invite:join', first.code)).toBe('invite_invalid');
    expect(await failure(erin, 'invite:join', 'made-up-code')).toBe('invite_invalid');
    expect(await bob.command('invite:create', { conversationId: id, expiresAt: Date.now() - 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'expiresAt' }] },
    });
  });

  it('joins an open group at once: the newcomer gets the conversation, the members the event', async () => {
    const { alice, bob, id } = await setUp();
    const { invite } = await bob.ok('invite:create', { conversationId: id });
    const daveTab1 = await connectUser(server, 'dave');
    const daveTab2 = await connectUser(server, 'dave');

    const preview = await daveTab1.ok('invite:preview', { code: invite.code });
    expect(preview).toEqual({
      group: { id, name: 'Team', avatar: null, description: '', memberCount: 3, joinPolicy: 'open' },
      membership: 'none',
    });
    const joined = await daveTab1.ok('invite:join', { code: invite.code });
    expect(joined).toMatchObject({
      status: 'joined',
      conversation: { id, type: 'group', membership: 'active', role: 'member', memberCount: 4, unreadCount: 0 },
    });
    const event = await alice.waitFor('message:new', isEvent('member.joined'));
    expect(event.senderId).toBe('dave');
    expect(systemEvent(event)).toEqual({ kind: 'member.joined', userId: 'dave', approvedBy: null });
    // Both of Dave's tabs are in the room: they got the event, and get what follows.
    for (const tab of [daveTab1, daveTab2]) expect(await tab.waitFor('message:new', isEvent('member.joined'))).toEqual(event);
    const hello = await sendText(alice, id, 'welcome Dave');
    for (const tab of [daveTab1, daveTab2]) await tab.waitFor('message:new', (m) => m.id === hello.message.id);

    // Already a member: the same answer, no second use, no second event.
    const again = await daveTab2.ok('invite:join', { code: invite.code });
    expect(again).toMatchObject({ status: 'joined', conversation: { id, membership: 'active' } });
    expect(await daveTab2.ok('invite:preview', { code: invite.code })).toMatchObject({ membership: 'active' });
    const { invites } = await bob.ok('invite:list', { conversationId: id });
    expect(invites[0]!.uses).toBe(1);
    expect(alice.received['message:new'].filter(isEvent('member.joined'))).toHaveLength(1);
  });

  it('stops a link at its expiry and its maximum uses', async () => {
    const clock = manualClock();
    const { bob, id } = await setUp({ clock });
    const expiring = (await bob.ok('invite:create', { conversationId: id, expiresAt: clock.now() + 10 * minute })).invite;
    const once = (await bob.ok('invite:create', { conversationId: id, maxUses: 1 })).invite;
    const dave = await connectUser(server, 'dave');
    const erin = await connectUser(server, 'erin');

    expect(await dave.ok('invite:preview', { code: expiring.code })).toMatchObject({ membership: 'none' });
    await dave.ok('invite:join', { code: once.code });
    expect(await failure(erin, 'invite:preview', once.code)).toBe('invite_used_up');
    expect(await failure(erin, 'invite:join', once.code)).toBe('invite_used_up');

    clock.advance(10 * minute);
    expect(await failure(erin, 'invite:preview', expiring.code)).toBe('invite_expired');
    expect(await failure(erin, 'invite:join', expiring.code)).toBe('invite_expired');
    // A member still sees that they are in.
    expect(await dave.ok('invite:preview', { code: expiring.code })).toMatchObject({ membership: 'active' });
    expect((await bob.ok('invite:list', { conversationId: id })).invites).toEqual([]);
  });

  it('answers a closed group, a removed user, a dismissed group and a leaver each in their own way', async () => {
    const { alice, bob, id } = await setUp();
    const { invite } = await bob.ok('invite:create', { conversationId: id });
    const dave = await connectUser(server, 'dave');
    const carol = await connectUser(server, 'carol');

    await alice.ok('group:set-join-policy', { conversationId: id, joinPolicy: 'closed' });
    expect(await failure(dave, 'invite:preview', invite.code)).toBe('join_closed');
    expect(await failure(dave, 'invite:join', invite.code)).toBe('join_closed');
    expect(await carol.ok('invite:preview', { code: invite.code })).toMatchObject({ membership: 'active' });
    await alice.ok('group:set-join-policy', { conversationId: id, joinPolicy: 'open' });

    await bob.ok('group:remove-member', { conversationId: id, userId: 'carol' });
    expect(await failure(carol, 'invite:preview', invite.code)).toBe('removed_from_group');
    expect(await failure(carol, 'invite:join', invite.code)).toBe('removed_from_group');

    await dave.ok('invite:join', { code: invite.code });
    await dave.ok('group:leave', { conversationId: id });
    expect(await dave.ok('invite:preview', { code: invite.code })).toMatchObject({ membership: 'none' });
    expect(await dave.ok('invite:join', { code: invite.code })).toMatchObject({
      status: 'joined',
      conversation: { membership: 'active' },
    });

    await alice.ok('group:dismiss', { conversationId: id });
    const erin = await connectUser(server, 'erin');
    expect(await failure(erin, 'invite:preview', invite.code)).toBe('group_dismissed');
    expect(await failure(erin, 'invite:join', invite.code)).toBe('group_dismissed');
  });

  it('runs the approval flow end to end: request, admins told, approve, requester in', async () => {
    const { alice, bob, id } = await setUp();
    const carol = await connectUser(server, 'carol');
    await alice.ok('group:set-join-policy', { conversationId: id, joinPolicy: 'approval' });
    const { invite } = await bob.ok('invite:create', { conversationId: id });
    const daveTabs = [await connectUser(server, 'dave'), await connectUser(server, 'dave')];
    const dave = daveTabs[0]!;

    const requested = await dave.ok('invite:join', { code: invite.code });
    expect(requested).toEqual({
      status: 'requested',
      group: { id, name: 'Team', avatar: null, description: '', memberCount: 3, joinPolicy: 'approval' },
    });
    for (const manager of [alice, bob]) {
      expect(await manager.waitFor('join-request:new')).toEqual({
        conversationId: id,
        userId: 'dave',
        user: { id: 'dave', name: 'Dave', avatar: null },
        requestedAt: expect.any(Number),
      });
    }
    expect(await dave.ok('invite:preview', { code: invite.code })).toMatchObject({ membership: 'requested' });
    // Asking again changes nothing: no second use, no second notice.
    expect(await daveTabs[1]!.ok('invite:join', { code: invite.code })).toMatchObject({ status: 'requested' });
    expect((await bob.ok('invite:list', { conversationId: id })).invites[0]!.uses).toBe(1);
    expect(await dave.command('message:history', { conversationId: id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    const pending = await bob.ok('group:join-requests', { conversationId: id });
    expect(pending.requests).toEqual([{ conversationId: id, userId: 'dave', requestedAt: expect.any(Number) }]);
    expect(pending.users).toEqual([{ id: 'dave', name: 'Dave', avatar: null }]);
    expect(await carol.command('group:join-requests', { conversationId: id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    const approved = await bob.ok('group:decide-request', { conversationId: id, userId: 'dave', approve: true });
    expect(approved.conversation.memberCount).toBe(4);
    for (const tab of daveTabs) {
      const joinedEvent = await tab.waitFor('message:new', isEvent('member.joined'));
      expect(systemEvent(joinedEvent)).toEqual({ kind: 'member.joined', userId: 'dave', approvedBy: 'bob' });
      expect(await tab.waitFor('join-request:decided')).toEqual({
        conversationId: id,
        approved: true,
        group: { id, name: 'Team', avatar: null, description: '', memberCount: 4, joinPolicy: 'approval' },
      });
    }
    expect(carol.received['join-request:new']).toEqual([]);
    expect(carol.received['join-request:decided']).toEqual([]);
    const sync = await dave.ok('conversation:sync', { cursor: null });
    expect(sync.conversations).toMatchObject([{ id, type: 'group', membership: 'active', role: 'member' }]);
    await sendText(dave, id, 'thanks for letting me in');
    expect((await bob.ok('group:join-requests', { conversationId: id })).requests).toEqual([]);
  });

  it('tells a rejected requester, who may ask again later', async () => {
    const { alice, id } = await setUp();
    await alice.ok('group:set-join-policy', { conversationId: id, joinPolicy: 'approval' });
    const { invite } = await alice.ok('invite:create', { conversationId: id });
    const erin = await connectUser(server, 'erin');
    await erin.ok('invite:join', { code: invite.code });
    await alice.waitFor('join-request:new');

    const rejected = await alice.ok('group:decide-request', { conversationId: id, userId: 'erin', approve: false });
    expect(rejected.conversation.memberCount).toBe(3);
    expect(rejected.users.map((user) => user.id)).toContain('erin');
    expect(await erin.waitFor('join-request:decided')).toEqual({
      conversationId: id,
      approved: false,
      group: expect.objectContaining({ id, memberCount: 3 }),
    });
    expect(erin.received['message:new']).toEqual([]);
    expect(await alice.command('group:decide-request', { conversationId: id, userId: 'erin', approve: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await erin.ok('invite:preview', { code: invite.code })).toMatchObject({ membership: 'none' });
    expect(await erin.ok('invite:join', { code: invite.code })).toMatchObject({ status: 'requested' });
    expect(await alice.waitFor('join-request:new', () => alice.received['join-request:new'].length === 2)).toMatchObject({
      user: moreUsers.erin,
    });
  });

  it('limits how many codes one user may try, across all their tabs', async () => {
    const clock = manualClock();
    await setUp({ clock });
    const tabs = [await connectUser(server, 'dave'), await connectUser(server, 'dave')];
    const erin = await connectUser(server, 'erin');
    const codes = [];
    for (let i = 0; i < 20; i++) {
      codes.push(await failure(tabs[i % 2]!, i % 3 ? 'invite:preview' : 'invite:join', `guess-${i}`));
    }
    expect(new Set(codes)).toEqual(new Set(['invite_invalid']));

    for (const tab of tabs) {
      const limited = await tab.command('invite:preview', { code: 'guess-21' });
      expect(limited).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      expect(limited.ok ? 0 : limited.error.retryAfterMs).toBeGreaterThan(5000);
    }
    // Another user is not affected, nor are other commands.
    expect(await failure(erin, 'invite:preview', 'guess-e')).toBe('invite_invalid');
    await tabs[0]!.ok('conversation:sync', { cursor: null });

    clock.advance(6000);
    expect(await failure(tabs[1]!, 'invite:join', 'guess-22')).toBe('invite_invalid');
    expect(await failure(tabs[0]!, 'invite:join', 'guess-23')).toBe('rate_limited');
  });
});
