import { afterEach, describe, expect, it } from 'vitest';
import { limits, type Message } from '../../src/protocol/index.js';
import { manualClock } from '../support/node/clock.js';
import type { TestClient } from '../support/node/client.js';
import { connectUser, createTeam, sendText, startGroupServer, text } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';

let clientIds = 0;
const nextClientId = () => `change-test-${++clientIds}`;

function recall(from: TestClient, conversationId: string, seq: number, clientId = nextClientId()) {
  return from.command('message:recall', { conversationId, clientId, seq });
}

function edit(from: TestClient, conversationId: string, seq: number, value: string, clientId = nextClientId()) {
  return from.command('message:edit', { conversationId, clientId, seq, text: text(value) });
}

describe('recall, edit and replies', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function chat(options: Parameters<typeof startGroupServer>[0] = {}) {
    server = await startGroupServer(options);
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    return { alice, bob, id: conversation.id };
  }

  it('recalls within two minutes: a timeline event of its own, the content gone for everyone', async () => {
    const clock = manualClock();
    const { alice, bob, id } = await chat({ clock });
    const { message } = await sendText(alice, id, 'oops, wrong chat');
    clock.advance(limits.recallWindowMs - 1000);

    const recalled = await recall(alice, id, message.seq);
    expect(recalled).toMatchObject({
      ok: true,
      data: {
        event: { seq: 2, senderId: 'alice', body: { type: 'recall', targetSeq: 1 } },
        target: { seq: 1, body: { type: 'recalled', by: 'alice' } },
        duplicate: false,
      },
    });
    expect(await bob.waitFor('message:new', (m) => m.seq === 2)).toMatchObject({ body: { type: 'recall', targetSeq: 1 } });
    // Someone offline learns it from history: the target comes back recalled, the event follows.
    const history = await bob.ok('message:history', { conversationId: id, afterSeq: 0 });
    expect(history.messages.map((m) => m.body.type)).toEqual(['recalled', 'recall']);
    expect(JSON.stringify(history)).not.toContain('wrong chat');
    // Neither the recalled message nor the event counts as unread for Bob.
    const view = await server.storage.conversations.read.view(id, 'bob');
    expect(view).toMatchObject({ unreadCount: 1, lastSeq: 2 });
  });

  it("refuses a late recall, another person's recall, and a second one", async () => {
    const clock = manualClock();
    const { alice, bob, id } = await chat({ clock });
    const { message } = await sendText(alice, id, 'hello');
    expect(await recall(bob, id, message.seq)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    clock.advance(limits.recallWindowMs + 1);
    expect(await recall(alice, id, message.seq)).toMatchObject({ ok: false, error: { code: 'recall_window_passed' } });
    const { message: second } = await sendText(alice, id, 'again');
    expect(await recall(alice, id, second.seq)).toMatchObject({ ok: true });
    expect(await recall(alice, id, second.seq)).toMatchObject({ ok: false, error: { code: 'not_editable' } });
    // Nothing but the one recall event was appended.
    expect((await server.storage.conversations.read.get(id))?.lastSeq).toBe(3);
  });

  it('lets group owners and admins recall anyone at any time, but not members', async () => {
    const clock = manualClock();
    server = await startGroupServer({ clock });
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const carol = await connectUser(server, 'carol');
    const group = await createTeam(alice, ['bob', 'carol'], ['bob']);
    const { message } = await sendText(carol, group, 'spam');
    clock.advance(60 * 60_000);
    const { message: other } = await sendText(carol, group, 'more spam');
    expect(await recall(carol, group, message.seq)).toMatchObject({ error: { code: 'recall_window_passed' } });
    expect(await recall(bob, group, message.seq)).toMatchObject({ ok: true, data: { target: { body: { by: 'bob' } } } });
    expect(await recall(alice, group, other.seq)).toMatchObject({ ok: true });
    const { message: bobs } = await sendText(bob, group, 'admin says');
    expect(await recall(carol, group, bobs.seq)).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('a retried recall or edit (same clientId) acts once and answers the same', async () => {
    const { alice, id } = await chat();
    const { message } = await sendText(alice, id, 'first');
    const first = await edit(alice, id, message.seq, 'second', 'edit-once-1');
    const again = await edit(alice, id, message.seq, 'second', 'edit-once-1');
    expect(again).toMatchObject({ ok: true, data: { duplicate: true } });
    if (!first.ok || !again.ok) throw new Error('edit failed');
    expect(again.data.event).toEqual(first.data.event);
    expect((await server.storage.conversations.read.get(id))?.lastSeq).toBe(2);
  });

  it('edits own text messages only; the target shows as edited everywhere', async () => {
    const clock = manualClock();
    const { alice, bob, id } = await chat({ clock });
    const { message } = await sendText(alice, id, 'teh plan');
    clock.advance(5000);
    const edited = await edit(alice, id, message.seq, 'the plan');
    expect(edited).toMatchObject({
      ok: true,
      data: {
        event: { body: { type: 'edit', targetSeq: 1, text: { type: 'text', text: 'the plan' } } },
        target: { seq: 1, body: { text: 'the plan' }, editedAt: clock.now() },
      },
    });
    const live = await bob.waitFor('message:new', (m) => m.body.type === 'edit');
    expect(live.body).toEqual({ type: 'edit', targetSeq: 1, text: { type: 'text', text: 'the plan' } });
    const [stored] = (await bob.ok('message:history', { conversationId: id, afterSeq: 0, limit: 1 })).messages;
    expect(stored).toMatchObject({ body: { text: 'the plan' }, editedAt: clock.now() });

    expect(await edit(bob, id, message.seq, 'hijack')).toMatchObject({ error: { code: 'forbidden' } });
    await recall(alice, id, message.seq);
    expect(await edit(alice, id, message.seq, 'back')).toMatchObject({ error: { code: 'not_editable' } });
    // Events cannot be edited or recalled; an unknown seq is not found.
    expect(await edit(alice, id, 2, 'x')).toMatchObject({ error: { code: 'forbidden' } });
    expect(await recall(alice, id, 99)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('keeps non-members and muted members out', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const carol = await connectUser(server, 'carol');
    const dave = await connectUser(server, 'dave');
    const group = await createTeam(alice, ['carol'], []);
    const { message } = await sendText(carol, group, 'hi');
    expect(await recall(dave, group, message.seq)).toMatchObject({ error: { code: 'not_found' } });
    expect(await edit(dave, group, message.seq, 'x')).toMatchObject({ error: { code: 'not_found' } });
    await alice.ok('group:mute-member', { conversationId: group, userId: 'carol', muted: true });
    expect(await edit(carol, group, message.seq, 'x')).toMatchObject({ error: { code: 'muted' } });
  });

  it('replies quote the original: sender, type and excerpt, as it was', async () => {
    const { alice, bob, id } = await chat();
    const long = 'x'.repeat(limits.replyExcerptLength + 50);
    const { message: original } = await sendText(alice, id, long);
    const reply = await bob.ok('message:send', {
      conversationId: id,
      clientId: nextClientId(),
      body: text('agreed'),
      replyToSeq: original.seq,
    });
    expect(reply.message.replyTo).toEqual({
      seq: 1,
      senderId: 'alice',
      type: 'text',
      excerpt: 'x'.repeat(limits.replyExcerptLength),
    });
    expect(((await alice.waitFor('message:new')) as Message).replyTo).toEqual(reply.message.replyTo);
    const bad = await bob.command('message:send', {
      conversationId: id,
      clientId: nextClientId(),
      body: text('to nothing'),
      replyToSeq: 42,
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: 'replyToSeq' }] } });
  });
});
