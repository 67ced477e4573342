import { describe, expect, it } from 'vitest';
import { limits, reactionEmoji, type Message, type Reaction } from '../../../src/protocol/index.js';
import type { Decision } from '../../../src/server/decision.js';
import {
  decideReaction,
  type ReactionInput,
  type ReactionSnapshot,
} from '../../../src/server/messages/reaction-decisions.js';

const now = 50_000;

const message = (items: Reaction[] | null, overrides: Partial<Message> = {}): Message => ({
  id: 'm-1',
  conversationId: 'c',
  seq: 4,
  senderId: 'alice',
  clientId: 'client-1',
  body: { type: 'text', text: 'lunch?' },
  createdAt: 10_000,
  ...(items ? { reactions: { seq: 5, items } } : {}),
  ...overrides,
});

const input = (overrides: Partial<ReactionInput> = {}): ReactionInput => ({
  conversationId: 'c',
  actorId: 'bob',
  seq: 4,
  emoji: '👍',
  on: true,
  createdAt: now,
  ...overrides,
});

const snapshot = (target: Message | null, overrides: Partial<ReactionSnapshot> = {}): ReactionSnapshot => ({
  conversation: { dismissed: false },
  actorActive: true,
  target,
  ...overrides,
});

const refusal = <W, R>(decision: Decision<W, R>) => (decision.ok ? null : decision.error.code);

/** The reactions a decision writes on its target (and carries in its event). */
function written(decision: ReturnType<typeof decideReaction>): Reaction[] | null | undefined {
  if (!decision.ok) throw decision.error;
  const write = decision.writes.find((w) => w.kind === 'setReactions');
  const entry = decision.writes.find((w) => w.kind === 'appendEntry');
  if (write?.kind === 'setReactions' && entry?.kind === 'appendEntry' && entry.entry.body.type === 'reaction') {
    expect(entry.entry.body.reactions).toEqual(write.items);
  }
  return write?.kind === 'setReactions' ? write.items : undefined;
}

describe('decideReaction', () => {
  it("puts the first reaction on a message as an event by the reactor, with the target's new reactions", () => {
    const decision = decideReaction(snapshot(message(null)), input(), now);
    expect(decision).toMatchObject({ ok: true, result: { changed: true } });
    if (!decision.ok) return;
    const [append, set] = decision.writes;
    expect(append).toMatchObject({
      kind: 'appendEntry',
      entry: {
        conversationId: 'c',
        senderId: 'bob',
        createdAt: now,
        body: { type: 'reaction', targetSeq: 4, emoji: '👍', on: true, reactions: [{ emoji: '👍', userIds: ['bob'] }] },
      },
    });
    expect(set).toEqual({ kind: 'setReactions', seq: 4, items: [{ emoji: '👍', userIds: ['bob'] }] });
  });

  it('adds a reactor to an emoji at the end, and a new emoji after the others', () => {
    const target = message([{ emoji: '👍', userIds: ['carol'] }]);
    expect(written(decideReaction(snapshot(target), input(), now))).toEqual([{ emoji: '👍', userIds: ['carol', 'bob'] }]);
    expect(written(decideReaction(snapshot(target), input({ emoji: '❤️' }), now))).toEqual([
      { emoji: '👍', userIds: ['carol'] },
      { emoji: '❤️', userIds: ['bob'] },
    ]);
  });

  it('takes a reaction back, and drops the emoji once nobody has it', () => {
    const target = message([
      { emoji: '👍', userIds: ['carol', 'bob'] },
      { emoji: '😂', userIds: ['bob'] },
    ]);
    expect(written(decideReaction(snapshot(target), input({ on: false }), now))).toEqual([
      { emoji: '👍', userIds: ['carol'] },
      { emoji: '😂', userIds: ['bob'] },
    ]);
    expect(written(decideReaction(snapshot(target), input({ emoji: '😂', on: false }), now))).toEqual([
      { emoji: '👍', userIds: ['carol', 'bob'] },
    ]);
  });

  it('changes nothing, and appends no event, when it is already so', () => {
    const target = message([{ emoji: '👍', userIds: ['bob'] }]);
    expect(decideReaction(snapshot(target), input(), now)).toEqual({ ok: true, writes: [], result: { changed: false } });
    expect(decideReaction(snapshot(target), input({ emoji: '🎉', on: false }), now)).toEqual({
      ok: true,
      writes: [],
      result: { changed: false },
    });
  });

  it('refuses what cannot be reacted to: no message, not a member, an event, a recalled message, a dismissed group', () => {
    expect(refusal(decideReaction(snapshot(null), input(), now))).toBe('not_found');
    expect(refusal(decideReaction(snapshot(message(null), { actorActive: false }), input(), now))).toBe('not_found');
    expect(refusal(decideReaction(snapshot(message(null), { conversation: null }), input(), now))).toBe('not_found');
    const event = message(null, { body: { type: 'system', event: { kind: 'group.created', name: 'Team' } } });
    expect(refusal(decideReaction(snapshot(event), input(), now))).toBe('forbidden');
    const edit = message(null, { body: { type: 'edit', targetSeq: 1, text: { type: 'text', text: 'x' } } });
    expect(refusal(decideReaction(snapshot(edit), input(), now))).toBe('forbidden');
    const recalled = message(null, { body: { type: 'recalled', by: 'alice' } });
    expect(refusal(decideReaction(snapshot(recalled), input(), now))).toBe('not_editable');
    const dismissed = snapshot(message(null), { conversation: { dismissed: true } });
    expect(refusal(decideReaction(dismissed, input(), now))).toBe('group_dismissed');
  });

  it(`allows at most ${limits.reactionEmojiMax} different emoji on a message, and more people on one of them`, () => {
    const emoji = ['😀', '😃', '😄', '😁', '😆', '😅', '🤣', '😂', '🙂', '🙃', '😉', '😊', '😇', '🥰', '😍', '🤩', '😘', '😗', '😚', '😙'];
    expect(emoji).toHaveLength(limits.reactionEmojiMax);
    const full = message(emoji.map((e, i) => ({ emoji: e, userIds: [`user-${i}`] })));
    const refused = decideReaction(snapshot(full), input({ emoji: '👍' }), now);
    expect(refusal(refused)).toBe('reaction_limit');
    expect(refused.ok ? '' : refused.error.message).toContain(String(limits.reactionEmojiMax));
    expect(written(decideReaction(snapshot(full), input({ emoji: '😀' }), now))?.[0]).toEqual({
      emoji: '😀',
      userIds: ['user-0', 'bob'],
    });
  });

  it(`allows one person at most ${limits.reactionsPerUserMax} reactions on a message, and taking one back`, () => {
    const mine = ['👍', '❤️', '😂'].map((emoji) => ({ emoji, userIds: ['bob'] }));
    expect(mine).toHaveLength(limits.reactionsPerUserMax);
    const target = message(mine);
    const refused = decideReaction(snapshot(target), input({ emoji: '😮' }), now);
    expect(refusal(refused)).toBe('reaction_limit');
    expect(refused.ok ? '' : refused.error.message).toContain(String(limits.reactionsPerUserMax));
    // Others may still add that emoji; bob may still take one back.
    expect(decideReaction(snapshot(target), input({ emoji: '😮', actorId: 'carol' }), now).ok).toBe(true);
    expect(written(decideReaction(snapshot(target), input({ emoji: '❤️', on: false }), now))).toHaveLength(2);
  });
});

describe('reactionEmoji', () => {
  it('takes exactly one emoji, with variation selectors made canonical', () => {
    expect(reactionEmoji('👍')).toBe('👍');
    expect(reactionEmoji('👍🏽')).toBe('👍🏽');
    expect(reactionEmoji('👨‍👩‍👧')).toBe('👨‍👩‍👧');
    expect(reactionEmoji('🇫🇷')).toBe('🇫🇷');
    expect(reactionEmoji('❤')).toBe('❤️');
    expect(reactionEmoji('❤️')).toBe('❤️');
    // Emoji data lists some with a selector they do not need: one reaction either way.
    expect(reactionEmoji('👍\uFE0F')).toBe('👍');
  });

  it('refuses text, several emoji, and emoji with text around them', () => {
    for (const value of ['', 'a', '1', 'ok', '👍👍', '👍 ', ' 👍', '<b>', '\u200D', '🇫']) {
      expect(reactionEmoji(value), JSON.stringify(value)).toBeNull();
    }
  });
});
