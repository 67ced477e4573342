import { describe, expect, it } from 'vitest';
import { applyGroupEvent } from '../../../src/client/cache/group-events.js';
import type { GroupConversation, Message } from '../../../src/protocol/index.js';

const group = {
  id: 'g1',
  type: 'group',
  announcement: 'Old',
  announcementSeq: 3,
  announcementConfirmed: true,
} as GroupConversation;
const updated = (seq: number, senderId: string, announcement?: string): Message => ({
  id: `m${seq}`,
  conversationId: 'g1',
  seq,
  senderId,
  clientId: 'server-made-1',
  createdAt: 1,
  body: { type: 'system', event: { kind: 'group.updated', ...(announcement === undefined ? { name: 'Renamed' } : { announcement }) } },
});

describe('a cached group after group.updated', () => {
  it('takes a new announcement as a new version to confirm, confirmed only by its author', () => {
    expect(applyGroupEvent(group, updated(7, 'alice', 'New'), 'me')).toMatchObject({
      announcement: 'New',
      announcementSeq: 7,
      announcementConfirmed: false,
    });
    expect(applyGroupEvent(group, updated(7, 'me', 'New'), 'me')).toMatchObject({ announcementConfirmed: true });
    expect(applyGroupEvent(group, updated(8, 'me', ''), 'me')).toMatchObject({ announcementSeq: 8, announcementConfirmed: false });
  });

  it('keeps the confirmation when something else changed', () => {
    expect(applyGroupEvent(group, updated(9, 'alice'), 'me')).toMatchObject({ announcementSeq: 3, announcementConfirmed: true });
  });
});
