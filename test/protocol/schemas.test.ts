import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { commands } from '../../src/protocol/commands.js';
import { limits } from '../../src/protocol/limits.js';
import {
  AuthRefreshPayload,
  ClientId,
  Conversation,
  CreateGroupPayload,
  CreateInvitePayload,
  InviteCodePayload,
  MembersPayload,
  SystemEvent,
  UpdateGroupPayload,
  DisplayName,
  HandshakeAuth,
  HistoryPayload,
  HttpUrl,
  Id,
  Message,
  ReactPayload,
  ReadPayload,
  SendMessagePayload,
  SyncPayload,
  TextBody,
  UserSearchPayload,
} from '../../src/protocol/schemas.js';

/** The dotted paths of what a schema rejects; [] when it accepts. */
function rejectedPaths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

const text = (value: string) => ({ type: 'text', text: value });
const message = {
  id: '0b5f8d1e-8d2c-4a51-9b9e-1d2f3a4b5c6d',
  conversationId: 's_abcdefghijklmnopqrstuv',
  seq: 1,
  senderId: 'alice',
  clientId: 'c7f1a0d2-3b4c-4d5e-8f90-a1b2c3d4e5f6',
  body: text('hello'),
  createdAt: 1_700_000_000_000,
};

describe('identifiers', () => {
  it('accepts printable ASCII ids up to the limit', () => {
    for (const id of ['alice', 'user-42', 'auth0|5f3c', 'a@b.example', 'x'.repeat(limits.idLength)]) {
      expect(accepts(Id, id), id).toBe(true);
    }
    const tooLong = 'x'.repeat(limits.idLength + 1);
    for (const id of ['', 'has space', 'tab\there', 'ünïcode', tooLong, 42, null]) {
      expect(accepts(Id, id), String(id)).toBe(false);
    }
  });

  it('accepts UUIDs and similar client ids, 8 to 64 safe characters', () => {
    expect(accepts(ClientId, message.clientId)).toBe(true);
    expect(accepts(ClientId, 'abcd_EF-')).toBe(true);
    for (const clientId of ['short', 'has space 123', 'x'.repeat(65), 'dots.are.not.ok', '']) {
      expect(accepts(ClientId, clientId), clientId).toBe(false);
    }
  });
});

describe('profiles', () => {
  it('takes only http(s) URLs as avatars', () => {
    expect(accepts(HttpUrl, 'https://cdn.example/a.png')).toBe(true);
    expect(accepts(HttpUrl, 'http://localhost:3000/a.png')).toBe(true);
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:image/png;base64,AAAA',
      'ftp://example.com/a.png',
      '/relative.png',
      `https://example.com/${'a'.repeat(limits.urlLength)}`,
    ]) {
      expect(accepts(HttpUrl, url), url.slice(0, 40)).toBe(false);
    }
  });

  it('trims display names and rejects empty, over-long or control-character ones', () => {
    expect(DisplayName.parse('  Alice  ')).toBe('Alice');
    expect(accepts(DisplayName, '爱丽丝 🐇')).toBe(true);
    for (const name of ['', '   ', 'bell\u0007', 'esc\u001b[31m', 'n'.repeat(limits.nameLength + 1)]) {
      expect(accepts(DisplayName, name), JSON.stringify(name)).toBe(false);
    }
  });
});

describe('message bodies', () => {
  it('accepts text with line breaks, tabs and emoji up to the limit', () => {
    const longest = 'x'.repeat(limits.textLength);
    for (const value of ['hi', 'line 1\nline 2\r\n\tindented', '🎉'.repeat(100), longest]) {
      expect(accepts(TextBody, text(value))).toBe(true);
    }
  });

  it('rejects empty, blank, over-long and control-character text, at body.text', () => {
    const tooLong = 'x'.repeat(limits.textLength + 1);
    for (const value of ['', ' \n\t ', tooLong, 'nul\u0000', 'del\u007f', 'esc\u001b']) {
      const payload = { conversationId: 'c1', clientId: 'client-001', body: text(value) };
      expect(rejectedPaths(SendMessagePayload, payload), JSON.stringify(value.slice(0, 10))).toEqual([
        'body.text',
      ]);
    }
  });

  it('rejects unknown body types and fields', () => {
    expect(rejectedPaths(TextBody, { ...text('x'), html: '<b>x</b>' })).toEqual(['']);
    const payload = { conversationId: 'c1', clientId: 'client-001', body: { type: 'html', text: 'x' } };
    expect(rejectedPaths(SendMessagePayload, payload)).toEqual(['body.type']);
  });

  it('shares a contact by id only: the server fills the card', () => {
    const send = (body: unknown) => ({ conversationId: 'c1', clientId: 'client-001', body });
    expect(rejectedPaths(SendMessagePayload, send({ type: 'contact', userId: 'carol' }))).toEqual([]);
    expect(rejectedPaths(SendMessagePayload, send({ type: 'contact', userId: 'carol', name: 'Mallory' }))).toEqual(['body']);
    expect(rejectedPaths(SendMessagePayload, send({ type: 'contact', userId: 'has space' }))).toEqual(['body.userId']);
    const card = { type: 'contact', user: { id: 'carol', name: 'Carol', avatar: null } };
    expect(accepts(Message, { ...message, body: card })).toBe(true);
    expect(rejectedPaths(Message, { ...message, body: { ...card, user: { id: 'carol', name: '', avatar: null } } })).toEqual([
      'body.user.name',
    ]);
  });

  it('describes a stored message', () => {
    expect(accepts(Message, message)).toBe(true);
    expect(rejectedPaths(Message, { ...message, seq: 0 })).toEqual(['seq']);
  });
});

describe('message:react payload', () => {
  const react = (emoji: string) => ({ conversationId: 'c1', seq: 3, emoji, on: true });

  it('takes exactly one emoji, made canonical, and nothing else', () => {
    expect(ReactPayload.parse(react('👍')).emoji).toBe('👍');
    expect(ReactPayload.parse(react('❤')).emoji).toBe('❤️');
    expect(ReactPayload.parse(react('👩🏽‍💻')).emoji).toBe('👩🏽‍💻');
    for (const emoji of ['', 'like', '👍👍', '<img src=x>', '👍x']) {
      expect(rejectedPaths(ReactPayload, react(emoji)), emoji).toEqual(['emoji']);
    }
    expect(rejectedPaths(ReactPayload, { ...react('👍'), seq: 0 })).toEqual(['seq']);
    expect(rejectedPaths(ReactPayload, { conversationId: 'c1', seq: 3, emoji: '👍' })).toEqual(['on']);
  });
});

describe('command payloads', () => {
  it('are strict: an unknown field is an error, never dropped', () => {
    const valid: Record<keyof typeof commands, object> = {
      'message:send': { conversationId: 'c1', clientId: 'client-001', body: text('x') },
      'message:history': { conversationId: 'c1' },
      'conversation:sync': { cursor: null },
      'conversation:start': { userId: 'bob' },
      'conversation:read': { conversationId: 'c1', seq: 0 },
      'user:search': { query: '' },
      'auth:refresh': { token: 'a.b.c' },
      'group:create': { name: 'Team', memberIds: [] },
      'group:update': { conversationId: 'g1', announcement: '' },
      'group:add-members': { conversationId: 'g1', userIds: ['bob'] },
      'group:remove-member': { conversationId: 'g1', userId: 'bob' },
      'group:ban-member': { conversationId: 'g1', userId: 'bob' },
      'group:unban-member': { conversationId: 'g1', userId: 'bob' },
      'group:bans': { conversationId: 'g1' },
      'user:block': { userId: 'bob' },
      'user:unblock': { userId: 'bob' },
      'user:blocks': {},
      'group:set-role': { conversationId: 'g1', userId: 'bob', role: 'member' },
      'group:transfer-ownership': { conversationId: 'g1', userId: 'bob' },
      'group:mute-member': { conversationId: 'g1', userId: 'bob', muted: false },
      'group:mute-all': { conversationId: 'g1', muted: false },
      'group:set-join-policy': { conversationId: 'g1', joinPolicy: 'approval' },
      'group:leave': { conversationId: 'g1' },
      'group:dismiss': { conversationId: 'g1' },
      'group:members': { conversationId: 'g1', cursor: 'abc' },
      'group:join-requests': { conversationId: 'g1' },
      'group:decide-request': { conversationId: 'g1', userId: 'bob', approve: false },
      'group:confirm-announcement': { conversationId: 'g1', announcementSeq: 3 },
      'group:announcement-confirmations': { conversationId: 'g1' },
      'invite:create': { conversationId: 'g1', expiresAt: null, maxUses: 5 },
      'invite:list': { conversationId: 'g1' },
      'invite:revoke': { conversationId: 'g1', code: 'c'.repeat(32) },
      'invite:preview': { code: 'c'.repeat(32) },
      'invite:join': { code: 'c'.repeat(32) },
      'message:recall': { conversationId: 'c1', clientId: 'client-002', seq: 1 },
      'message:edit': { conversationId: 'c1', clientId: 'client-003', seq: 1, text: text('y') },
      'message:react': { conversationId: 'c1', seq: 1, emoji: '👍', on: true },
      'message:readers': { conversationId: 'g1', seq: 3 },
      'message:played': { conversationId: 'c1', seq: 3 },
      'message:players': { conversationId: 'g1', seq: 3, limit: 20 },
      'message:search': { query: 'hello' },
      'conversation:delivered': { conversationId: 'c1', seq: 2 },
      'conversation:receipts': { conversationId: 'c1' },
      'conversation:settings': { conversationId: 'c1', pinned: true },
      'typing:start': { conversationId: 'c1' },
      'typing:stop': { conversationId: 'c1' },
      'presence:watch': { userIds: ['bob'] },
      'file:access': { conversationId: 'c1' },
      'push:config': {},
      'push:subscribe': {
        endpoint: 'https://push.example/abc',
        keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) },
      },
      'push:unsubscribe': { endpoint: 'https://push.example/abc' },
      'support:config': {},
      'support:start': {
        page: { url: 'https://shop.example/lamp', title: 'Lamp' },
        context: { productId: 'lamp-1', price: 49.5, inStock: true, note: null },
        prechat: { name: 'Jane', email: 'jane@example.com' },
      },
      'support:context': { conversationId: 't1', page: { url: 'https://shop.example/', title: 'Shop' } },
      'support:claim': { visitorId: 'v_1', secret: 's' },
      'support:assign': { conversationId: 't1', agentId: 'sam' },
      'support:resolve': { conversationId: 't1' },
      'support:reopen': { conversationId: 't1' },
      'support:details': { conversationId: 't1' },
      'support:agents': {},
    };
    for (const [name, payload] of Object.entries(valid) as [keyof typeof commands, object][]) {
      expect(accepts(commands[name].payload, payload), name).toBe(true);
      expect(rejectedPaths(commands[name].payload, { ...payload, extra: 1 }), name).toEqual(['']);
      expect(accepts(commands[name].payload, null), name).toBe(false);
      expect(accepts(commands[name].payload, 'text'), name).toBe(false);
    }
  });

  it('apply documented defaults and bounds to paging', () => {
    expect(HistoryPayload.parse({ conversationId: 'c1' })).toEqual({ conversationId: 'c1', limit: 50 });
    const history = (fields: object) =>
      rejectedPaths(HistoryPayload, { conversationId: 'c1', ...fields });
    expect(history({ beforeSeq: 0 })).toEqual(['beforeSeq']);
    expect(history({ beforeSeq: 9, afterSeq: 1 })).toEqual(['']);
    expect(rejectedPaths(HistoryPayload, { conversationId: 'c1', limit: 101 })).toEqual(['limit']);
    expect(SyncPayload.parse({ cursor: null })).toEqual({ cursor: null, limit: 100 });
    expect(rejectedPaths(SyncPayload, {})).toEqual(['cursor']);
    expect(rejectedPaths(SyncPayload, { cursor: null, limit: 501 })).toEqual(['limit']);
    expect(UserSearchPayload.parse({ query: 'bo' })).toEqual({ query: 'bo', limit: 20 });
    expect(rejectedPaths(UserSearchPayload, { query: 'q'.repeat(65) })).toEqual(['query']);
  });

  it('reject negative, fractional and non-numeric seqs', () => {
    for (const seq of [-1, 1.5, '3', null, Number.NaN]) {
      expect(rejectedPaths(ReadPayload, { conversationId: 'c1', seq }), String(seq)).toEqual(['seq']);
    }
  });

  it('bound tokens', () => {
    expect(accepts(AuthRefreshPayload, { token: 'x'.repeat(8192) })).toBe(true);
    expect(rejectedPaths(AuthRefreshPayload, { token: 'x'.repeat(8193) })).toEqual(['token']);
    expect(rejectedPaths(AuthRefreshPayload, { token: '' })).toEqual(['token']);
    expect(accepts(HandshakeAuth, { token: 'a.b.c' })).toBe(true);
    expect(accepts(HandshakeAuth, {})).toBe(false);
  });
});

describe('results', () => {
  it('describe a single conversation as one member sees it', () => {
    const conversation = {
      id: message.conversationId,
      type: 'single',
      peerId: 'bob',
      lastSeq: 1,
      readSeq: 0,
      unreadCount: 1,
      lastMessage: message,
      createdAt: 1,
      updatedAt: 2,
      pinnedAt: null,
      notificationsMuted: false,
      hidden: false,
      markedUnread: false,
    };
    expect(accepts(Conversation, conversation)).toBe(true);
    expect(accepts(Conversation, { ...conversation, lastMessage: null, lastSeq: 0 })).toBe(true);
    expect(rejectedPaths(Conversation, { ...conversation, type: 'channel' })).toEqual(['type']);
  });

  it('describe a group as one member sees it, a former member too', () => {
    const group = {
      id: 'g_abcdefghijklmnopqrstuv',
      type: 'group',
      lastSeq: 3,
      readSeq: 3,
      unreadCount: 0,
      lastMessage: { ...message, seq: 3, body: { type: 'system', event: { kind: 'group.muted', muted: true } } },
      createdAt: 1,
      updatedAt: 2,
      pinnedAt: 5,
      notificationsMuted: true,
      hidden: false,
      markedUnread: false,
      name: 'Team',
      avatar: null,
      description: '',
      announcement: 'Read me',
      announcementSeq: 2,
      announcementConfirmed: false,
      memberCount: 3,
      membership: 'active',
      role: 'owner',
      muted: false,
      mutedAll: true,
      joinPolicy: 'approval',
      dismissed: false,
      mentionSeq: 0,
    };
    expect(rejectedPaths(Conversation, group)).toEqual([]);
    expect(accepts(Conversation, { ...group, membership: 'removed', role: null })).toBe(true);
    expect(rejectedPaths(Conversation, { ...group, peerId: 'bob', name: undefined })).toEqual(['name']);
  });
});

describe('group payloads', () => {
  it('take mentions as ids and @all as a flag, never system bodies from clients', () => {
    const mentioning = { ...text('hi @Bob'), mentions: ['bob'], mentionAll: true };
    const send = (body: unknown) => ({ conversationId: 'g1', clientId: 'client-001', body });
    expect(rejectedPaths(SendMessagePayload, send(mentioning))).toEqual([]);
    const tooMany = Array.from({ length: limits.mentionsMax + 1 }, (_, i) => `u${i}`);
    expect(rejectedPaths(SendMessagePayload, send({ ...mentioning, mentions: tooMany }))).toEqual([
      'body.mentions',
    ]);
    const system = { type: 'system', event: { kind: 'group.dismissed' } };
    expect(rejectedPaths(SendMessagePayload, send(system))).toEqual(['body.type']);
    expect(accepts(Message, { ...message, body: system })).toBe(true);
  });

  it('describe every system event kind', () => {
    const events = [
      { kind: 'group.created', name: 'Team' },
      { kind: 'members.added', userIds: ['bob', 'carol'] },
      { kind: 'member.joined', userId: 'dave', approvedBy: null },
      { kind: 'member.joined', userId: 'dave', approvedBy: 'alice' },
      { kind: 'member.left', userId: 'bob' },
      { kind: 'member.removed', userId: 'bob' },
      { kind: 'member.role', userId: 'bob', role: 'admin' },
      { kind: 'owner.changed', userId: 'bob' },
      { kind: 'member.muted', userId: 'bob', muted: true },
      { kind: 'group.muted', muted: false },
      { kind: 'group.updated', name: 'New', avatar: null },
      { kind: 'group.join-policy', joinPolicy: 'closed' },
      { kind: 'group.dismissed' },
    ];
    for (const event of events) {
      expect(accepts(SystemEvent, event), event.kind).toBe(true);
    }
    expect(accepts(SystemEvent, { kind: 'member.role', userId: 'bob', role: 'owner' })).toBe(false);
    expect(accepts(SystemEvent, { kind: 'group.exploded' })).toBe(false);
  });

  it('bound groups and invite links by the documented limits', () => {
    const create = (fields: object) => rejectedPaths(CreateGroupPayload, { name: 'Team', memberIds: [], ...fields });
    expect(create({ memberIds: Array(limits.membersPerCallMax).fill('bob') })).toEqual([]);
    expect(create({ memberIds: Array(limits.membersPerCallMax + 1).fill('bob') })).toEqual(['memberIds']);
    expect(create({ description: 'd'.repeat(limits.descriptionLength + 1) })).toEqual(['description']);
    expect(create({ avatar: 'data:image/png;base64,AAAA' })).toEqual(['avatar']);
    expect(rejectedPaths(UpdateGroupPayload, { conversationId: 'g1' })).toEqual(['']);
    expect(
      rejectedPaths(UpdateGroupPayload, {
        conversationId: 'g1',
        announcement: 'a'.repeat(limits.announcementLength + 1),
      }),
    ).toEqual(['announcement']);
    expect(MembersPayload.parse({ conversationId: 'g1' })).toEqual({
      conversationId: 'g1',
      limit: limits.membersPageDefault,
    });
    expect(rejectedPaths(CreateInvitePayload, { conversationId: 'g1', maxUses: 0 })).toEqual(['maxUses']);
    expect(
      rejectedPaths(CreateInvitePayload, { conversationId: 'g1', maxUses: limits.inviteUsesMax + 1 }),
    ).toEqual(['maxUses']);
    // An unknown code is the server's to judge (invite_invalid), not a schema error.
    expect(accepts(InviteCodePayload, { code: 'not a real code!' })).toBe(true);
    expect(rejectedPaths(InviteCodePayload, { code: 'c'.repeat(129) })).toEqual(['code']);
  });
});
