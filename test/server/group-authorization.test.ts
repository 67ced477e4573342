import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandName } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import {
  connectUser,
  createTeam,
  isEvent,
  startGroupServer,
  text,
} from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';

type Actor = 'owner' | 'admin' | 'member' | 'stranger' | 'leaver' | 'removed';
/** `ok`, or the error code the actor must get. */
type Outcome = 'ok' | string;

const outsiders = { stranger: 'not_found', leaver: 'not_found', removed: 'not_found' } as const;
const managersOnly = { owner: 'ok', admin: 'ok', member: 'forbidden', ...outsiders } as const;
const ownerOnly = { admin: 'forbidden', member: 'forbidden', ...outsiders } as const;

describe('group authorization', () => {
  let server: TestServer;
  let actors: Record<Actor, TestClient>;
  let id: string;
  let inviteCode: string;

  // Alice owns the group, Bob is an admin, Carol a member; Dave never belonged to it,
  // Erin left it, Frank was removed from it.
  beforeEach(async () => {
    server = await startGroupServer({ rateLimit: { capacity: 1000, refillPerSecond: 1000 } });
    actors = {
      owner: await connectUser(server, 'alice'),
      admin: await connectUser(server, 'bob'),
      member: await connectUser(server, 'carol'),
      stranger: await connectUser(server, 'dave'),
      leaver: await connectUser(server, 'erin'),
      removed: await connectUser(server, 'frank'),
    };
    id = await createTeam(actors.owner, ['bob', 'carol', 'erin', 'frank']);
    await actors.leaver.ok('group:leave', { conversationId: id });
    await actors.admin.ok('group:remove-member', { conversationId: id, userId: 'frank' });
    inviteCode = (await actors.admin.ok('invite:create', { conversationId: id })).invite.code;
  });
  afterEach(() => server.close());

  async function expectOutcomes(command: CommandName, payload: object, outcomes: Partial<Record<Actor, Outcome>>) {
    for (const [actor, outcome] of Object.entries(outcomes) as [Actor, Outcome][]) {
      const ack = await actors[actor].raw(command, payload);
      const got = ack.ok ? 'ok' : ack.error.code;
      expect(got, `${command} by the ${actor}`).toBe(outcome);
    }
  }

  it('lets each role do exactly what the matrix says, and outsiders nothing', async () => {
    const c = { conversationId: id };
    const rows: [CommandName, object, Partial<Record<Actor, Outcome>>][] = [
      // Changes that would change nothing are still authorized like real ones.
      ['group:update', { ...c, name: 'Team' }, managersOnly],
      ['group:add-members', { ...c, userIds: ['carol'] }, managersOnly],
      ['group:mute-all', { ...c, muted: false }, managersOnly],
      ['group:set-join-policy', { ...c, joinPolicy: 'open' }, managersOnly],
      ['invite:create', c, managersOnly],
      ['invite:list', c, managersOnly],
      ['invite:revoke', { ...c, code: 'unknown-code' }, { ...managersOnly, owner: 'invite_invalid', admin: 'invite_invalid' }],
      ['group:join-requests', c, managersOnly],
      ['group:decide-request', { ...c, userId: 'dave', approve: true }, { member: 'forbidden', ...outsiders }],
      // Someone of higher rank only.
      ['group:mute-member', { ...c, userId: 'carol', muted: false }, { owner: 'ok', admin: 'ok', member: 'forbidden', ...outsiders }],
      ['group:mute-member', { ...c, userId: 'bob', muted: false }, { owner: 'ok', admin: 'forbidden', member: 'forbidden' }],
      ['group:mute-member', { ...c, userId: 'alice', muted: true }, { owner: 'forbidden', admin: 'forbidden', member: 'forbidden' }],
      ['group:remove-member', { ...c, userId: 'alice' }, { owner: 'forbidden', admin: 'forbidden', member: 'forbidden', ...outsiders }],
      ['group:remove-member', { ...c, userId: 'bob' }, { admin: 'forbidden', member: 'forbidden' }],
      ['group:remove-member', { ...c, userId: 'dave' }, { owner: 'not_found', admin: 'not_found', member: 'forbidden' }],
      // The owner only.
      ['group:set-role', { ...c, userId: 'bob', role: 'admin' }, { owner: 'ok', ...ownerOnly }],
      ['group:set-role', { ...c, userId: 'alice', role: 'member' }, { owner: 'forbidden' }],
      ['group:transfer-ownership', { ...c, userId: 'carol' }, ownerOnly],
      ['group:dismiss', c, ownerOnly],
      // Members.
      ['group:leave', c, { owner: 'owner_must_transfer', ...outsiders }],
      ['group:members', c, { owner: 'ok', admin: 'ok', member: 'ok', ...outsiders }],
      ['message:send', { ...c, clientId: 'matrix-send-1', body: text('hi') }, { stranger: 'not_found', leaver: 'not_found', removed: 'not_found' }],
      ['message:history', c, { owner: 'ok', admin: 'ok', member: 'ok', stranger: 'not_found', leaver: 'ok', removed: 'ok' }],
      ['conversation:read', { ...c, seq: 1 }, { member: 'ok', stranger: 'not_found', leaver: 'ok', removed: 'ok' }],
    ];
    const before = await actors.owner.ok('message:history', c);
    for (const [command, payload, outcomes] of rows) await expectOutcomes(command, payload, outcomes);

    // None of it recorded anything: every allowed change above changed nothing.
    const after = await actors.owner.ok('message:history', c);
    expect(after.messages).toEqual(before.messages);
    expect((await actors.owner.ok('invite:list', c)).invites).toHaveLength(3);
  });

  it('shows a stranger only the card of a group they have a link to', async () => {
    const { stranger, removed, leaver, member } = actors;
    const preview = await stranger.ok('invite:preview', { code: inviteCode });
    expect(preview).toEqual({
      group: { id, name: 'Team', avatar: null, description: '', memberCount: 3, joinPolicy: 'open' },
      membership: 'none',
    });
    // The card is all: no messages, no members, no sync entry.
    for (const [command, payload] of [
      ['message:history', { conversationId: id }],
      ['message:history', { conversationId: id, afterSeq: 0 }],
      ['group:members', { conversationId: id }],
      ['invite:list', { conversationId: id }],
    ] as const) {
      expect(await stranger.raw(command, payload), command).toMatchObject({
        ok: false,
        error: { code: 'not_found', message: expect.any(String) },
      });
    }
    expect((await stranger.ok('conversation:sync', { cursor: null })).conversations).toEqual([]);
    expect(stranger.received['message:new']).toEqual([]);

    expect(await leaver.ok('invite:preview', { code: inviteCode })).toMatchObject({ membership: 'none' });
    expect(await member.ok('invite:preview', { code: inviteCode })).toMatchObject({ membership: 'active' });
    expect(await removed.command('invite:preview', { code: inviteCode })).toMatchObject({
      ok: false,
      error: { code: 'removed_from_group' },
    });
  });

  it('lets an admin remove a member and the owner remove an admin, and nobody else', async () => {
    const { owner, admin, member } = actors;
    expect(await member.command('group:update', { conversationId: id, name: 'Mine now' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await admin.ok('group:update', { conversationId: id, name: 'Renamed by an admin' });
    await admin.ok('group:remove-member', { conversationId: id, userId: 'carol' });
    await owner.ok('group:set-role', { conversationId: id, userId: 'bob', role: 'member' });
    await owner.ok('group:remove-member', { conversationId: id, userId: 'bob' });
    const { members } = await owner.ok('group:members', { conversationId: id });
    expect(members.map((m) => m.userId)).toEqual(['alice']);
    // A removed member is only back when an admin adds them.
    const added = await owner.ok('group:add-members', { conversationId: id, userIds: ['carol'] });
    const event = await member.waitFor('message:new', (m) => m.seq === added.conversation.lastSeq);
    expect(isEvent('members.added')(event)).toBe(true);
    expect((await member.ok('message:send', { conversationId: id, clientId: 'back-again-1', body: text('back') })).message.senderId).toBe('carol');
  });
});
