import { describe, expect, it } from 'vitest';
import type { Message, TextBody } from '../../../src/protocol/index.js';
import type { Decision } from '../../../src/server/decision.js';
import {
  decideAppend,
  type AppendMessageInput,
  type AppendSnapshot,
} from '../../../src/server/messages/append-decision.js';
import {
  decideMessageChange,
  type MessageChangeInput,
  type MessageChangeSnapshot,
} from '../../../src/server/messages/change-decisions.js';

const windowMs = 120_000;
const sentAt = 10_000;
const text = (value: string, extra: Partial<TextBody> = {}): TextBody => ({ type: 'text', text: value, ...extra });

const message = (overrides: Partial<Message> = {}): Message => ({
  id: 'm-1',
  conversationId: 'c',
  seq: 1,
  senderId: 'alice',
  clientId: 'client-1',
  body: text('hello'),
  createdAt: sentAt,
  ...overrides,
});

const refusal = <W, R>(decision: Decision<W, R>) => (decision.ok ? null : decision.error.code);

describe('decideAppend', () => {
  const input = (overrides: Partial<AppendMessageInput> = {}): AppendMessageInput => ({
    conversationId: 'c',
    senderId: 'alice',
    clientId: 'client-2',
    body: text('hi'),
    createdAt: sentAt,
    ...overrides,
  });
  const member: AppendSnapshot = { stored: null, conversation: { dismissed: false }, senderActive: true, fileFound: false };

  it('answers a retry with its original and writes nothing', () => {
    const original = message({ clientId: 'client-2' });
    expect(decideAppend({ ...member, stored: original }, input(), sentAt)).toEqual({
      ok: true,
      writes: [],
      result: { duplicate: true, message: original },
    });
    // Even after the sender lost the right to post: sends stay idempotent.
    const lost = { stored: original, conversation: { dismissed: true }, senderActive: false, fileFound: false };
    expect(decideAppend(lost, input(), sentAt)).toMatchObject({ ok: true, result: { duplicate: true } });
  });

  it('refuses a dismissed group, a missing conversation, a sender who is not an active member, a vanished file', () => {
    expect(refusal(decideAppend({ ...member, conversation: { dismissed: true } }, input(), sentAt))).toBe('group_dismissed');
    expect(refusal(decideAppend({ ...member, conversation: null }, input(), sentAt))).toBe('not_found');
    expect(refusal(decideAppend({ ...member, senderActive: false }, input(), sentAt))).toBe('not_found');
    const file = { type: 'file' as const, file: { id: 'f-1', name: 'a.txt', mime: 'text/plain', size: 3, url: '/f' } };
    expect(refusal(decideAppend(member, input({ body: file as never }), sentAt))).toBe('not_found');
    expect(decideAppend({ ...member, fileFound: true }, input({ body: file as never }), sentAt)).toMatchObject({
      ok: true,
      writes: [{ kind: 'markFileSent', fileId: 'f-1', at: sentAt }, { kind: 'appendEntry' }],
    });
  });

  it('stores a new message, then marks its mentions at its own seq', () => {
    const decision = decideAppend(member, input({ body: text('@bob @all', { mentions: ['bob'], mentionAll: true }) }), 20_000);
    expect(decision).toMatchObject({
      ok: true,
      result: { duplicate: false },
      writes: [
        { kind: 'appendEntry', entry: { conversationId: 'c', senderId: 'alice', clientId: 'client-2', createdAt: 20_000 } },
        { kind: 'markMentioned', seq: null, userIds: ['bob'] },
        { kind: 'markMentionedAll', seq: null },
      ],
    });
  });
});

describe('decideMessageChange', () => {
  const recall = (overrides: Partial<MessageChangeInput> = {}, privileged = false): MessageChangeInput => ({
    conversationId: 'c',
    actorId: 'alice',
    clientId: 'change-1',
    seq: 1,
    createdAt: sentAt + 1000,
    change: { type: 'recall', privileged, windowMs },
    ...overrides,
  });
  const edit = (overrides: Partial<MessageChangeInput> = {}): MessageChangeInput => ({
    ...recall(overrides),
    change: { type: 'edit', text: text('hello!', { mentions: ['bob'] }) },
  });
  const snapshot = (target: Message | null = message(), overrides: Partial<MessageChangeSnapshot> = {}): MessageChangeSnapshot => ({
    stored: null,
    conversation: { dismissed: false },
    actorActive: true,
    target,
    ...overrides,
  });

  it('lets the sender recall within the window, and not a moment after', () => {
    const within = decideMessageChange(snapshot(), recall(), sentAt + windowMs);
    expect(within).toMatchObject({
      ok: true,
      writes: [
        { kind: 'appendEntry', entry: { senderId: 'alice', clientId: 'change-1', body: { type: 'recall', targetSeq: 1 } } },
        { kind: 'rewriteMessage', seq: 1, body: { type: 'recalled', by: 'alice' }, editedAt: null },
      ],
    });
    expect(refusal(decideMessageChange(snapshot(), recall(), sentAt + windowMs + 1))).toBe('recall_window_passed');
  });

  it("lets a group's admins recall anyone's message at any time, and nobody else", () => {
    const fromBob = message({ senderId: 'bob' });
    expect(refusal(decideMessageChange(snapshot(fromBob), recall(), sentAt + 1000))).toBe('forbidden');
    expect(decideMessageChange(snapshot(fromBob), recall({}, true), sentAt + 10 * windowMs).ok).toBe(true);
  });

  it('lets the host remove a message as its sender, member or not; the event and the body say so', () => {
    const moderated: MessageChangeInput = { ...recall(), change: { type: 'recall', privileged: true, windowMs, moderated: true } };
    const decision = decideMessageChange(snapshot(message(), { actorActive: false }), moderated, sentAt + 10 * windowMs);
    expect(decision).toMatchObject({
      ok: true,
      writes: [
        { kind: 'appendEntry', entry: { body: { type: 'recall', targetSeq: 1, moderated: true } } },
        { kind: 'rewriteMessage', body: { type: 'recalled', by: 'alice', moderated: true } },
      ],
    });
    const asSomeoneElse = { ...moderated, actorId: 'bob' };
    expect(refusal(decideMessageChange(snapshot(), asSomeoneElse, sentAt))).toBe('not_found');
  });

  it('lets only the sender edit, only text, never a recalled message; an edit marks its new mentions', () => {
    expect(decideMessageChange(snapshot(), edit(), sentAt + 10 * windowMs)).toMatchObject({
      ok: true,
      writes: [
        { kind: 'appendEntry', entry: { body: { type: 'edit', targetSeq: 1 } } },
        { kind: 'rewriteMessage', seq: 1, body: { type: 'text', text: 'hello!' }, editedAt: sentAt + 10 * windowMs },
        { kind: 'markMentioned', seq: 1, userIds: ['bob'] },
      ],
    });
    expect(refusal(decideMessageChange(snapshot(message({ senderId: 'bob' })), edit(), sentAt))).toBe('forbidden');
    const image = message({ body: { type: 'image', file: { id: 'f', name: 'a.png', mime: 'image/png', size: 1, url: '/f' } } as never });
    expect(refusal(decideMessageChange(snapshot(image), edit(), sentAt))).toBe('not_editable');
    const recalled = message({ body: { type: 'recalled', by: 'alice' } });
    expect(refusal(decideMessageChange(snapshot(recalled), edit(), sentAt))).toBe('not_editable');
    expect(refusal(decideMessageChange(snapshot(recalled), recall({}, true), sentAt))).toBe('not_editable');
  });

  it('refuses events, missing messages and actors who are not active members', () => {
    const event = message({ body: { type: 'recall', targetSeq: 1 } });
    expect(refusal(decideMessageChange(snapshot(event), recall({}, true), sentAt))).toBe('forbidden');
    expect(refusal(decideMessageChange(snapshot(null), recall(), sentAt))).toBe('not_found');
    expect(refusal(decideMessageChange(snapshot(message(), { actorActive: false }), recall(), sentAt))).toBe('not_found');
    expect(refusal(decideMessageChange(snapshot(message(), { conversation: { dismissed: true } }), recall(), sentAt))).toBe(
      'group_dismissed',
    );
  });

  it('answers a retry as it was answered, writing nothing', () => {
    const stored = { event: message({ seq: 2, body: { type: 'recall', targetSeq: 1 } }), target: message({ body: { type: 'recalled', by: 'alice' } }) };
    expect(decideMessageChange(snapshot(null, { stored, actorActive: false }), recall(), sentAt + 10 * windowMs)).toEqual({
      ok: true,
      writes: [],
      result: { duplicate: true, ...stored },
    });
  });
});
