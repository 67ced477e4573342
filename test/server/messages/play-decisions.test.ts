import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/protocol/index.js';
import { decidePlay, type PlaySnapshot } from '../../../src/server/messages/play-decisions.js';

const voice: Message = {
  id: 'm1',
  conversationId: 'g1',
  seq: 4,
  senderId: 'alice',
  clientId: 'client-0001',
  body: { type: 'voice', file: { id: 'f1', name: 'voice.webm', mime: 'audio/webm', size: 900 }, duration: 2000, waveform: [1, 2] },
  createdAt: 1000,
};
const input = { conversationId: 'g1', actorId: 'bob', seq: 4, playedAt: 5000 };
const snapshot = (overrides: Partial<PlaySnapshot> = {}): PlaySnapshot => ({
  actorActive: true,
  target: voice,
  alreadyPlayed: false,
  playedCount: 2,
  ...overrides,
});

describe('decidePlay', () => {
  it("records a member's first play of someone else's voice message, counting it", () => {
    expect(decidePlay(snapshot(), input)).toEqual({
      ok: true,
      writes: [{ kind: 'recordPlay' }],
      result: { changed: true, senderId: 'alice', playedCount: 3 },
    });
  });

  it('changes nothing for a play already recorded or the sender playing their own', () => {
    const unchanged = { ok: true, writes: [], result: { changed: false, senderId: 'alice', playedCount: 2 } };
    expect(decidePlay(snapshot({ alreadyPlayed: true }), input)).toEqual(unchanged);
    expect(decidePlay(snapshot(), { ...input, actorId: 'alice' })).toEqual(unchanged);
  });

  it('refuses a missing entry or a non-member first, then anything but a voice message', () => {
    const code = (s: PlaySnapshot) => {
      const decision = decidePlay(s, input);
      return decision.ok ? null : decision.error.code;
    };
    expect(code(snapshot({ target: null }))).toBe('not_found');
    expect(code(snapshot({ actorActive: false }))).toBe('not_found');
    expect(code(snapshot({ actorActive: false, target: { ...voice, body: { type: 'recalled', by: 'alice' } } }))).toBe('not_found');
    expect(code(snapshot({ target: { ...voice, body: { type: 'recalled', by: 'alice' } } }))).toBe('invalid_payload');
    expect(code(snapshot({ target: { ...voice, body: { type: 'text', text: 'hi' } } }))).toBe('invalid_payload');
  });
});
