import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectConnectError } from '../support/node/client.js';
import { startAdminServer, type AdminClient } from '../support/node/admin.js';
import { connectUser } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';


describe('admin API: deleting users', () => {
  let server: TestServer;
  let admin: AdminClient;
  beforeEach(async () => {
    ({ server, admin } = await startAdminServer());
  });
  afterEach(() => server.close());

  async function scene() {
    const owned = (await admin.post('/groups', { ownerId: 'bob', name: 'Bob\'s', memberIds: ['carol', 'dave'] })).body.group.id;
    const alone = (await admin.post('/groups', { ownerId: 'bob', name: 'Solo', memberIds: [] })).body.group.id;
    const chat = (await admin.post('/single-conversations', { userIds: ['alice', 'bob'] })).body.conversation.id;
    await admin.put(`/groups/${owned}/members/dave/role`, { role: 'admin' });
    const sent = await admin.post(`/conversations/${chat}/messages`, { senderId: 'bob', body: { type: 'text', text: 'my address is 1 Main St' } });
    const reply = await admin.post(`/conversations/${chat}/messages`, {
      senderId: 'alice',
      body: { type: 'text', text: 'noted' },
      replyToSeq: sent.body.message.seq,
    });
    return { owned, alone, chat, seq: sent.body.message.seq as number, replySeq: reply.body.message.seq as number };
  }

  it('anonymizes: sessions end for good, groups are handed over or dismissed, messages stay', async () => {
    const { owned, alone, chat, seq } = await scene();
    const bob = await connectUser(server, 'bob');
    const gone = bob.waitForDisconnect();
    const deleted = await admin.delete('/users/bob');
    expect(deleted.body).toMatchObject({
      user: { id: 'bob', name: 'Deleted user', avatar: null, deleted: true },
      deleted: true,
      roles: [],
    });
    expect(await gone).toBe('io server disconnect');
    expect((await expectConnectError(server.url, await server.token('bob'))).message).toBe('user_deleted');

    expect((await admin.get(`/groups/${owned}`)).body.group).toMatchObject({ ownerId: 'dave', memberCount: 2 });
    expect((await admin.get(`/groups/${alone}`)).body.group.dismissed).toBe(true);
    const history = await admin.get(`/conversations/${chat}/messages`);
    expect(history.body.messages.find((m: { seq: number }) => m.seq === seq).body.text).toBe('my address is 1 Main St');

    const alice = await connectUser(server, 'alice');
    expect((await alice.ok('user:search', { query: 'deleted' })).users).toEqual([]);
    expect((await alice.command('conversation:start', { userId: 'bob' }))).toMatchObject({ ok: false, error: { code: 'user_deleted' } });
    expect((await admin.put('/users/bob', { name: 'Bob again' })).status).toBe(410);
    expect((await admin.delete('/users/bob')).status).toBe(200);
  });

  it('erases: what they wrote is gone from history, quotes and search', async () => {
    const { chat, seq, replySeq } = await scene();
    await admin.delete('/users/bob?mode=erase');
    const history = await admin.get(`/conversations/${chat}/messages`);
    const bySeq = (s: number) => history.body.messages.find((m: { seq: number }) => m.seq === s);
    expect(bySeq(seq).body).toEqual({ type: 'recalled', by: 'bob' });
    expect(bySeq(replySeq).replyTo).toEqual({ seq, senderId: 'bob', type: 'recalled', excerpt: '' });
    const alice = await connectUser(server, 'alice');
    expect((await alice.ok('message:search', { query: 'Main St' })).messages).toEqual([]);
    expect((await admin.delete('/users/bob?mode=forget')).status).toBe(400);
  });
});
