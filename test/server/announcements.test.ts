import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupConversation } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import { createTeam, isEvent, startGroupServer } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';

async function groupIn(client: TestClient, conversationId: string, cursor: string | null = null) {
  const sync = await client.ok('conversation:sync', { cursor });
  const found = sync.conversations.find((conversation) => conversation.id === conversationId);
  return { group: found as GroupConversation | undefined, cursor: sync.cursor };
}

describe('announcements people confirm', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startGroupServer();
  });
  afterEach(() => server.close());

  /** Alice owns the team, Bob is an admin, Carol a member; Bob posts an announcement. */
  async function announced(text = 'Standup moves to 10:00') {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const carol = await server.connect('carol');
    const conversationId = await createTeam(alice);
    const { conversation } = await bob.ok('group:update', { conversationId, announcement: text });
    const event = await carol.waitFor('message:new', (m) => m.conversationId === conversationId && isEvent('group.updated')(m));
    return { alice, bob, carol, conversationId, announcementSeq: event.seq, posted: conversation };
  }

  it('versions the announcement by its event; its author has confirmed it, the others have not', async () => {
    const { bob, carol, conversationId, announcementSeq, posted } = await announced();
    expect(posted).toMatchObject({ announcementSeq, announcementConfirmed: true });
    expect((await groupIn(carol, conversationId)).group).toMatchObject({
      announcement: 'Standup moves to 10:00',
      announcementSeq,
      announcementConfirmed: false,
    });
    expect(await bob.ok('group:announcement-confirmations', { conversationId })).toEqual({
      announcementSeq,
      confirmedCount: 1,
      pendingCount: 2,
      confirmed: ['bob'],
      pending: ['alice', 'carol'],
      users: expect.arrayContaining([expect.objectContaining({ id: 'alice' }), expect.objectContaining({ id: 'carol' })]),
    });
  });

  it("tells the member's other device at once, the admins with the count, and a device that was offline on its next sync", async () => {
    const { alice, bob, carol, conversationId, announcementSeq } = await announced();
    const carolPhone = await server.connect('carol');
    const offline = await groupIn(carolPhone, conversationId);
    carolPhone.close();
    const carolTablet = await server.connect('carol');

    const { conversation } = await carol.ok('group:confirm-announcement', { conversationId, announcementSeq });
    expect(conversation).toMatchObject({ announcementConfirmed: true });
    expect(await carolTablet.waitFor('conversation:changed', (c) => c.id === conversationId)).toMatchObject({
      announcementConfirmed: true,
    });
    const told = { conversationId, announcementSeq, userId: 'carol', confirmedCount: 2, memberCount: 3 };
    expect(await alice.waitFor('group:announcement-confirmed')).toEqual(told);
    expect(await bob.waitFor('group:announcement-confirmed')).toEqual(told);
    // A member hears nothing of the others' confirmations, and nothing goes back to the confirming socket.
    expect(carol.received['group:announcement-confirmed']).toEqual([]);
    expect(carol.received['conversation:changed']).toEqual([]);

    const phoneAgain = await server.connect('carol');
    expect((await groupIn(phoneAgain, conversationId, offline.cursor)).group).toMatchObject({ announcementConfirmed: true });
    expect(await alice.ok('group:announcement-confirmations', { conversationId })).toMatchObject({
      confirmedCount: 2,
      pending: ['alice'],
    });

    // Confirming again, from another device: fine, and nobody is told twice.
    await carolTablet.ok('group:confirm-announcement', { conversationId, announcementSeq });
    await alice.ok('group:members', { conversationId });
    expect(alice.received['group:announcement-confirmed']).toHaveLength(1);
  });

  it('refuses an outdated confirmation clearly, and a new announcement resets everyone', async () => {
    const { alice, carol, conversationId, announcementSeq } = await announced();
    await carol.ok('group:confirm-announcement', { conversationId, announcementSeq });
    await alice.ok('group:update', { conversationId, announcement: 'Standup moves to 11:00' });
    const next = (await groupIn(carol, conversationId)).group!;
    expect(next).toMatchObject({ announcement: 'Standup moves to 11:00', announcementConfirmed: false });
    expect(next.announcementSeq).toBeGreaterThan(announcementSeq);

    const stale = await carol.command('group:confirm-announcement', { conversationId, announcementSeq });
    expect(stale).toMatchObject({ ok: false, error: { code: 'announcement_changed' } });
    expect(await alice.ok('group:announcement-confirmations', { conversationId })).toMatchObject({
      announcementSeq: next.announcementSeq,
      confirmed: ['alice'],
      pending: ['bob', 'carol'],
    });
  });

  it('lets only members confirm, and only the owner and admins see who did', async () => {
    const { carol, conversationId, announcementSeq } = await announced();
    const dave = await server.connect('dave');
    expect(await dave.command('group:confirm-announcement', { conversationId, announcementSeq })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await dave.command('group:announcement-confirmations', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await carol.command('group:announcement-confirmations', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await carol.command('group:confirm-announcement', { conversationId, announcementSeq: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });
});
