import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src/client/index.js';
import { limits } from '../../../src/protocol/index.js';
import type { ShownEntry } from '../../../src/ui/im-message-list/timeline-rows.js';
import { MessageSelection, type SelectingClient } from '../../../src/ui/view-models/message-selection.js';
import { Translator } from '../../../src/ui/i18n/index.js';
import { textEntry } from './fixtures.js';

/** The client's message actions, in memory: every call recorded in order. */
function fakeClient() {
  const calls: string[] = [];
  const client = {
    messages: {
      forward: async (message: { seq: number }, to: string) => void calls.push(`forward ${message.seq} to ${to}`),
      forwardHistory: async (from: string, seqs: number[], to: string) => void calls.push(`history ${from} [${seqs}] to ${to}`),
      hideForMe: async (conversationId: string, messageId: string) => void calls.push(`hide ${conversationId} ${messageId}`),
    },
  } as unknown as SelectingClient;
  return { client, calls };
}

const entry = (seq: number | null, overrides: Partial<TimelineEntry> = {}) =>
  ({ ...textEntry(seq, 'alice'), ...overrides }) as ShownEntry;

describe('MessageSelection', () => {
  it('keeps what was picked by key, in seq order, whichever order it was picked in', () => {
    const selection = new MessageSelection({ client: () => undefined });
    selection.start('c1', entry(7));
    selection.toggle(entry(3));
    selection.toggle(entry(5));
    selection.toggle(entry(7));
    expect(selection.active).toBe(true);
    expect(selection.entries.map((picked) => picked.seq)).toEqual([3, 5]);
    expect(selection.isSelected('seq/5')).toBe(true);
    expect(selection.isSelected('seq/7')).toBe(false);
  });

  it('does not pick unsent messages, events or recalled messages', () => {
    const selection = new MessageSelection({ client: () => undefined });
    selection.start('c1');
    selection.toggle(entry(null));
    selection.toggle(entry(2, { body: { type: 'recalled', by: 'alice' } }));
    selection.toggle(entry(3, { body: { type: 'system', event: { kind: 'group.dismissed' } } as TimelineEntry['body'] }));
    expect(selection.count).toBe(0);
  });

  it(`stops at ${limits.historyItemsMax} and says so`, () => {
    const selection = new MessageSelection({ client: () => undefined });
    selection.start('c1');
    for (let seq = 1; seq <= limits.historyItemsMax + 1; seq++) selection.toggle(entry(seq));
    expect(selection.count).toBe(limits.historyItemsMax);
    expect(selection.full).toBe(true);
    selection.toggle(entry(1));
    expect(selection.full).toBe(false);
  });

  it('forwards one by one in seq order, or as one history, and then leaves selection mode', async () => {
    const { client, calls } = fakeClient();
    const selection = new MessageSelection({ client: () => client });
    selection.start('c1', entry(9));
    selection.toggle(entry(4));
    await selection.forward('c2', 'one-by-one');
    expect(calls).toEqual(['forward 4 to c2', 'forward 9 to c2']);
    expect(selection.active).toBe(false);

    selection.start('c1', entry(9));
    selection.toggle(entry(4));
    await selection.forward('c2', 'history');
    expect(calls.at(-1)).toBe('history c1 [4,9] to c2');
  });

  it('hides every picked message on this device', async () => {
    const { client, calls } = fakeClient();
    const selection = new MessageSelection({ client: () => client });
    selection.start('c1', entry(2));
    selection.toggle(entry(1));
    await selection.hideForMe();
    expect(calls).toEqual(['hide c1 m1', 'hide c1 m2']);
    expect(selection.active).toBe(false);
  });

  it('copies one block per message: who and when, then its text or what it carries', async () => {
    const t = await Translator.load('en');
    const selection = new MessageSelection({ client: () => undefined });
    selection.start('c1', entry(1));
    const image = { type: 'image', file: { id: 'f', name: 'a.png', mime: 'image/png', size: 1 }, width: 1, height: 1 } as const;
    selection.toggle(entry(2, { body: image }));
    const copied = selection.copyText(t, (id) => (id === 'alice' ? 'Alice' : id));
    expect(copied).toBe(`Alice, ${t.dateTime(1_001)}\nmessage 1\n\nAlice, ${t.dateTime(1_002)}\n[Photo]`);
  });
});
