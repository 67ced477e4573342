import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageSearchPayload } from '../../src/protocol/index.js';
import { applyMigrations } from '../../src/server/storage/sqlite/migrations.js';
import { SqliteStorage } from '../../src/server/storage/sqlite/sqlite-storage.js';
import type { TestClient } from '../support/node/client.js';
import { createTeam, sendText } from '../support/node/groups.js';
import { TestServer, testUsers } from '../support/node/server.js';
import { createTempDir } from '../support/node/temp-dir.js';

/** The texts a search finds, newest first (one page). */
async function found(client: TestClient, payload: MessageSearchPayload): Promise<string[]> {
  const { messages } = await client.ok('message:search', payload);
  return messages.map((message) => (message.body.type === 'text' ? message.body.text : ''));
}

describe('message search', () => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let chat: string;
  beforeEach(async () => {
    server = await TestServer.start();
    alice = await server.connect('alice');
    bob = await server.connect('bob');
    chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
  });
  afterEach(() => server.close());

  it('finds words and parts of words, whatever their case', async () => {
    await sendText(alice, chat, 'Meet me at the Lighthouse at noon');
    await sendText(bob, chat, 'lighthouse keepers are nice');
    await sendText(bob, chat, 'something else entirely');

    expect(await found(alice, { query: 'lighthouse' })).toEqual([
      'lighthouse keepers are nice',
      'Meet me at the Lighthouse at noon',
    ]);
    expect(await found(bob, { query: 'GHTHOU' })).toHaveLength(2);
    expect(await found(bob, { query: 'Keeper' })).toEqual(['lighthouse keepers are nice']);
    // Two letters: no trigram to look up, the user's own messages are scanned instead.
    expect(await found(alice, { query: 'NO' })).toEqual(['Meet me at the Lighthouse at noon']);
    expect(await found(alice, { query: 'submarine' })).toEqual([]);
  });

  it('finds Chinese text by one, two and more characters', async () => {
    await sendText(alice, chat, '今天天气不错，我们去公园吧');
    await sendText(bob, chat, '明天开会讨论项目进度');

    expect(await found(alice, { query: '天气' })).toEqual(['今天天气不错，我们去公园吧']);
    expect(await found(alice, { query: '天' })).toHaveLength(2);
    expect(await found(alice, { query: '天气不错' })).toEqual(['今天天气不错，我们去公园吧']);
    expect(await found(bob, { query: '项目进度' })).toEqual(['明天开会讨论项目进度']);
    expect(await found(bob, { query: '项目进展' })).toEqual([]);
  });

  it("never shows other people's conversations", async () => {
    const carol = await server.connect('carol');
    const private_ = (await carol.ok('conversation:start', { userId: 'dave' })).conversation.id;
    await sendText(carol, private_, 'the secret lighthouse plan');
    await sendText(carol, private_, 'ok');
    await sendText(alice, chat, 'a lighthouse for everyone');

    expect(await found(alice, { query: 'lighthouse' })).toEqual(['a lighthouse for everyone']);
    expect(await found(alice, { query: 'ok' })).toEqual([]);
    for (const conversationId of [private_, 'no-such-conversation']) {
      const scoped = await alice.command('message:search', { query: 'secret', conversationId });
      expect(scoped).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });

  it('searches one conversation when asked', async () => {
    const carol = await server.connect('carol');
    const other = (await carol.ok('conversation:start', { userId: 'alice' })).conversation.id;
    await sendText(bob, chat, 'report from Bob');
    await sendText(carol, other, 'report from Carol');

    expect(await found(alice, { query: 'report' })).toEqual(['report from Carol', 'report from Bob']);
    const { users } = await alice.ok('message:search', { query: 'report' });
    expect(users).toEqual(expect.arrayContaining([testUsers.bob, testUsers.carol]));
    expect(await found(alice, { query: 'report', conversationId: chat })).toEqual(['report from Bob']);
    expect(await found(alice, { query: 're', conversationId: other })).toEqual(['report from Carol']);
  });

  it('shows a former group member only what was said before they left', async () => {
    const carol = await server.connect('carol');
    const team = await createTeam(alice, ['bob', 'carol'], []);
    await sendText(bob, team, 'budget draft before the vote');
    await sendText(carol, team, '预算 before I go');
    await carol.ok('group:leave', { conversationId: team });
    await sendText(bob, team, 'budget final after the vote');
    await sendText(bob, team, '预算 after Carol left');

    expect(await found(carol, { query: 'budget' })).toEqual(['budget draft before the vote']);
    expect(await found(carol, { query: '预算' })).toEqual(['预算 before I go']);
    expect(await found(carol, { query: 'vote', conversationId: team })).toEqual([
      'budget draft before the vote',
    ]);
    expect(await found(alice, { query: 'budget' })).toHaveLength(2);
  });

  it('pages through every match exactly once, newest first', async () => {
    const sent: string[] = [];
    for (let i = 1; i <= 23; i++) {
      const from = i % 2 ? alice : bob;
      sent.push((await sendText(from, chat, `agenda item ${i}`)).message.id);
    }
    await sendText(alice, chat, 'not on the list');

    for (const query of ['agenda', 'em']) {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await alice.ok('message:search', { query, limit: 5, cursor });
        ids.push(...result.messages.map((message) => message.id));
        if (result.cursor === null) break;
        cursor = result.cursor;
      }
      expect(ids).toEqual(sent.toReversed());
    }
  });

  it('takes query syntax literally and never fails on it', async () => {
    await sendText(alice, chat, 'say "hi" OR NEAR(x, y) * col:value ^start');
    await sendText(alice, chat, 'hi there');

    const literal = 'say "hi" OR NEAR(x, y) * col:value ^start';
    for (const query of ['"hi" OR', 'NEAR(x', ') *', 'col:value', '^start', '"', '*', 'OR', '"hi"']) {
      expect(await found(alice, { query }), query).toEqual([literal]);
    }
    for (const query of ['hi OR there', 'NEAR(hi there)', 'hi*', '"""', '((', 'AND', '-hi', 'x NOT y']) {
      expect(await found(alice, { query }), query).toEqual([]);
    }
  });

  it('finds a message as soon as its send is acknowledged', async () => {
    for (let i = 0; i < 5; i++) {
      const { message } = await sendText(alice, chat, `fresh news number ${i}`);
      const [newest] = (await alice.ok('message:search', { query: `news number ${i}` })).messages;
      expect(newest?.id).toBe(message.id);
    }
  });

  it('follows edits and recalls', async () => {
    const { message: edited } = await sendText(alice, chat, 'the meeting is on Monday');
    const { message: recalled } = await sendText(alice, chat, 'the meeting password is 1234');
    await alice.ok('message:edit', {
      conversationId: chat,
      clientId: 'search-edit-1',
      seq: edited.seq,
      text: { type: 'text', text: 'the meeting is on Tuesday' },
    });
    await alice.ok('message:recall', { conversationId: chat, clientId: 'search-recall-1', seq: recalled.seq });

    expect(await found(bob, { query: 'meeting' })).toEqual(['the meeting is on Tuesday']);
    expect(await found(bob, { query: 'Monday' })).toEqual([]);
    expect(await found(bob, { query: 'password' })).toEqual([]);
  });

  it('refuses a bad cursor and an empty query, and changes nothing', async () => {
    const badCursor = await alice.command('message:search', { query: 'hello', cursor: 'abc' });
    expect(badCursor).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'cursor' }] },
    });
    const empty = await alice.command('message:search', { query: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('refuses control characters in a query, and finds tabs and line breaks as text', async () => {
    await sendText(alice, chat, 'line one\nline two\tand a tab');
    for (const query of ['a\u0000b', 'abc\u0000', '\u0000\u0000\u0000', 'ab\u001b[31m', 'x\u007fyz', 'a\u0000']) {
      expect(await alice.command('message:search', { query }), JSON.stringify(query)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload', issues: [{ path: 'query' }] },
      });
    }
    expect(await found(alice, { query: 'one\nline' })).toEqual(['line one\nline two\tand a tab']);
    expect(await found(alice, { query: 'two\tand' })).toEqual(['line one\nline two\tand a tab']);
    expect(await found(alice, { query: 'one\tline' })).toEqual([]);
  });
});

describe('message search on an upgraded database', () => {
  it('finds the text messages stored before search existed, newest first', async () => {
    const dir = await createTempDir();
    const filename = join(dir.path, 'im-chat.sqlite');
    const old = new Database(filename);
    try {
      applyMigrations(old, 1);
      old.exec(`
        INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES
          ('alice', 'Alice', NULL, 1, 1), ('bob', 'Bob', NULL, 1, 1), ('carol', 'Carol', NULL, 1, 1);
        INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version)
          VALUES ('s_ab', 'single', 'alice', 10, 2, 40, 1), ('s_ac', 'single', 'alice', 10, 1, 30, 2);
        INSERT INTO conversation_members (conversation_id, user_id) VALUES
          ('s_ab', 'alice'), ('s_ab', 'bob'), ('s_ac', 'alice'), ('s_ac', 'carol');
        INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, body, created_at) VALUES
          ('s_ab', 1, 'm1', 'alice', 'client-1', '{"type":"text","text":"Harbour at dawn"}', 20),
          ('s_ab', 2, 'm2', 'bob', 'client-2', '{"type":"text","text":"the harbour, then"}', 40),
          ('s_ac', 1, 'm3', 'carol', 'client-3', '{"type":"text","text":"harbour lights"}', 30);
      `);
    } finally {
      old.close();
    }

    const storage = new SqliteStorage({ filename });
    try {
      await storage.migrate();
      const ids = async (query: string, userId = 'alice') =>
        (await storage.search.read.messages(userId, { query, limit: 10 })).messages.map((m) => m.id);
      expect(await ids('HARBOUR')).toEqual(['m2', 'm3', 'm1']);
      expect(await ids('ha')).toEqual(['m2', 'm3', 'm1']);
      expect(await ids('harbour', 'bob')).toEqual(['m2', 'm1']);
    } finally {
      await storage.close();
      await dir.remove();
    }
  });
});
