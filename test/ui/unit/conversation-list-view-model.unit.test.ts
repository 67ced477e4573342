import { beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSettings } from '../../../src/client/index.js';
import {
  ConversationListViewModel,
  type ConversationListClient,
} from '../../../src/ui/view-models/conversation-list-view-model.js';
import { group, listEntry, single, supportCase } from './fixtures.js';

/** The client's list side: records settings and reads; refuses when told to. */
class FakeListClient implements ConversationListClient {
  readonly calls: string[] = [];
  refusal: Error | null = null;

  markRead = async (conversationId: string) => {
    this.calls.push(`read ${conversationId}`);
    if (this.refusal) throw this.refusal;
  };

  conversations = {
    setSettings: async (conversationId: string, settings: ConversationSettings) => {
      this.calls.push(`${conversationId} ${JSON.stringify(settings)}`);
      if (this.refusal) throw this.refusal;
    },
  };
}

const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);

describe('ConversationListViewModel', () => {
  let client: FakeListClient;
  let inbox: boolean;
  let list: ConversationListViewModel;

  beforeEach(() => {
    client = new FakeListClient();
    inbox = false;
    list = new ConversationListViewModel({ client: () => client, inbox: () => inbox });
  });

  const entries = [
    listEntry(single('quiet')),
    listEntry(single('news'), { unread: 2 }),
    listEntry(single('flagged', { markedUnread: true })),
    listEntry(group('team', { mentionSeq: 7, readSeq: 5, lastSeq: 7 }), { unread: 2 }),
    listEntry(group('muted', { notificationsMuted: true }), { unread: 9 }),
    listEntry(supportCase('case', null)),
  ];

  it('shows the messenger’s conversations under each filter, in the order given', () => {
    const own = list.ownEntries(entries);
    expect(ids(own)).toEqual(['quiet', 'news', 'flagged', 'team', 'muted']);
    expect(list.filter).toBe('all');
    expect(ids(list.shown(own, 'me'))).toEqual(ids(own));
    list.choose('unread');
    expect(ids(list.shown(own, 'me'))).toEqual(['news', 'flagged', 'team', 'muted']);
    list.choose('mentions');
    expect(ids(list.shown(own, 'me'))).toEqual(['team']);
    list.choose('groups');
    expect(ids(list.shown(own, 'me'))).toEqual(['team', 'muted']);
  });

  it('counts unread messages for the tab, leaving muted conversations out', () => {
    expect(list.unreadTotal(list.ownEntries(entries))).toBe(4);
  });

  describe('as a support inbox', () => {
    const cases = [
      listEntry(supportCase('new', null)),
      listEntry(supportCase('mine', 'me')),
      listEntry(supportCase('theirs', 'ann')),
      listEntry(supportCase('done', 'me', 'resolved')),
      listEntry(single('chat')),
    ];

    beforeEach(() => {
      inbox = true;
    });

    it('shows the agent’s cases in tabs, with counts', () => {
      const own = list.ownEntries(cases);
      expect(ids(own)).toEqual(['new', 'mine', 'theirs', 'done']);
      expect(list.inboxCount(own, 'me', 'unassigned')).toBe(1);
      expect(list.inboxCount(own, 'me', 'mine')).toBe(1);
      expect(list.inboxCount(own, 'me', 'open')).toBe(3);
      expect(list.inboxCount(own, 'me', 'resolved')).toBe(0);
      list.chooseInboxTab('resolved');
      expect(ids(list.shown(own, 'me'))).toEqual(['done']);
    });

    it('opens on the first tab with cases in it, once', () => {
      list.sync([listEntry(supportCase('new', null))], 'me', 'online');
      expect(list.inboxFilter).toBe('unassigned');
      list.sync(cases, 'me', 'online');
      expect(list.inboxFilter).toBe('unassigned');
    });

    it('waits for the first sync before choosing, when the cache is still empty', () => {
      list.sync([], 'me', 'connecting');
      list.sync([listEntry(supportCase('theirs', 'ann'))], 'me', 'online');
      expect(list.inboxFilter).toBe('open');
    });

    it('leaves the agent’s own choice alone', () => {
      list.chooseInboxTab('resolved');
      list.sync(cases, 'me', 'online');
      expect(list.inboxFilter).toBe('resolved');
    });
  });

  it('offers the actions that fit the conversation', () => {
    const pinned = listEntry(single('p', { pinnedAt: 5, notificationsMuted: true }), { unread: 1 });
    expect(list.actionsFor(pinned).map((action) => action.label)).toEqual([
      'list.unpin',
      'list.unmute',
      'list.markRead',
      'list.hide',
    ]);
    expect(list.actionsFor(listEntry(single('q'))).map((action) => action.label)).toEqual([
      'list.pin',
      'list.mute',
      'list.markUnread',
      'list.hide',
    ]);
  });

  it('pins, mutes, marks read or unread and hides through the client', async () => {
    const quiet = listEntry(single('quiet'));
    await list.act(quiet, 'pin');
    await list.act(quiet, 'mute');
    await list.act(quiet, 'unread');
    await list.act(listEntry(single('news'), { unread: 2 }), 'unread');
    await list.act(quiet, 'hide');
    expect(client.calls).toEqual([
      'quiet {"pinned":true}',
      'quiet {"notificationsMuted":true}',
      'quiet {"markedUnread":true}',
      'read news',
      'quiet {"hidden":true}',
    ]);
  });

  it('says why an action failed until the next one', async () => {
    const refusal = Object.assign(new Error('offline'), { code: 'offline' });
    client.refusal = refusal;
    await list.act(listEntry(single('quiet')), 'pin');
    expect(list.failure).toBe(refusal);
    client.refusal = null;
    await list.act(listEntry(single('quiet')), 'pin');
    expect(list.failure).toBeNull();
  });
});
