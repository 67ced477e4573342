import { beforeEach, describe, expect, it } from 'vitest';
import type { ClientStatus, TimelineEntry } from '../../../src/client/index.js';
import { pageSize, revealMargin } from '../../../src/ui/im-message-list/timeline-window.js';
import {
  TimelineViewModel,
  highlightMs,
  type TimelineCache,
  type TimelineClient,
} from '../../../src/ui/view-models/timeline-view-model.js';
import { ManualClock, deferred, settle, single, textEntry } from './fixtures.js';

/** The client's history side: records what was fetched and read; fetching succeeds unless told. */
class FakeTimelineClient implements TimelineClient {
  status: ClientStatus = 'online';
  readonly fetched: [string, number, number][] = [];
  readonly read: string[] = [];
  readonly receiptsLoaded: string[] = [];
  /** What the next fetch does. */
  fetch: () => Promise<void> = () => Promise.resolve();

  ensureHistory = (conversationId: string, fromSeq: number, toSeq: number) => {
    this.fetched.push([conversationId, fromSeq, toSeq]);
    return this.fetch();
  };

  markRead = async (conversationId: string) => void this.read.push(conversationId);

  conversations = { loadReceipts: async (conversationId: string) => void this.receiptsLoaded.push(conversationId) };
}

/** A cache holding text messages at the seqs given, all from Bob. */
class FakeTimelineCache implements TimelineCache {
  readonly userId = 'me';
  unread = 0;
  entries: TimelineEntry[] = [];

  unreadOf = async () => this.unread;

  timeline = async (_conversationId: string, fromSeq: number, toSeq = Infinity) =>
    this.entries.filter((entry) => entry.seq === null || (entry.seq >= fromSeq && entry.seq <= toSeq));

  holdSeqs(from: number, to: number): void {
    for (let seq = from; seq <= to; seq++) this.entries.push(textEntry(seq, 'bob'));
  }
}

describe('TimelineViewModel', () => {
  let client: FakeTimelineClient;
  let cache: FakeTimelineCache;
  let clock: ManualClock;
  let dividerInView: boolean | null;
  let timeline: TimelineViewModel;

  beforeEach(() => {
    client = new FakeTimelineClient();
    cache = new FakeTimelineCache();
    clock = new ManualClock();
    dividerInView = null;
    timeline = new TimelineViewModel({ client: () => client, unreadDividerInView: () => dividerInView, clock });
  });

  const long = (overrides: Parameters<typeof single>[1] = {}) => single('c1', { lastSeq: 1_000, readSeq: 1_000, ...overrides });

  it('opens at the newest page, following, and fetches what the cache lacks of it', () => {
    expect(timeline.sync(long(), cache, 'online')).toBe(true);
    expect(timeline.window).toEqual({ start: 1_000 - pageSize + 1, end: null });
    expect(timeline.live).toBe(true);
    expect(timeline.following).toBe(true);
    expect(client.fetched).toEqual([['c1', 1_000 - pageSize + 1, 1_000]]);
    expect(client.receiptsLoaded).toEqual(['c1']);
    expect(timeline.sync(long(), cache, 'online')).toBe(false);
  });

  it('opens with one read of the newest seqs that fill the view, then reads the window once they are shown', async () => {
    const reads: [number, number][] = [];
    const timeline = cache.timeline;
    cache.timeline = (conversationId, fromSeq, toSeq) => {
      reads.push([fromSeq, toSeq ?? Infinity]);
      return timeline(conversationId, fromSeq, toSeq);
    };
    cache.holdSeqs(900, 1_000);
    const opening = new TimelineViewModel({ client: () => client, unreadDividerInView: () => null, screenful: () => 30 });
    opening.sync(long(), cache, 'online');
    expect(opening.readsWindow).toBe(false);
    expect(reads).toEqual([[971, Infinity]]);
    await settle();
    expect(opening.firstScreen?.window).toEqual({ start: 971, end: null });
    expect(opening.firstScreen?.entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 971 + i));
    expect(opening.window).toEqual({ start: 1_000 - pageSize + 1, end: null });

    opening.firstScreenShown();
    expect(opening.readsWindow).toBe(true);
    expect(opening.firstScreen).toBeNull();
    expect(reads).toHaveLength(1); // the list reads the window itself, live
  });

  it('reads the window at once when a message is revealed before the first screen is shown', async () => {
    cache.holdSeqs(900, 1_000);
    const opening = new TimelineViewModel({ client: () => client, unreadDividerInView: () => null, screenful: () => 30 });
    opening.sync(long(), cache, 'online');
    expect(await opening.reveal(920)).toBe(920);
    expect(opening.readsWindow).toBe(true);
    await settle();
    expect(opening.firstScreen).toBeNull(); // its read came too late to be shown
  });

  it('reads a window no longer than a screenful live at once', () => {
    const opening = new TimelineViewModel({ client: () => client, unreadDividerInView: () => null, screenful: () => 30 });
    opening.sync(single('c1', { lastSeq: 30, readSeq: 30 }), cache, 'online');
    expect(opening.readsWindow).toBe(true);
    expect(opening.window).toEqual({ start: 1, end: null });
  });

  it('reads the window at once when the cache has none of the newest seqs yet', async () => {
    const opening = new TimelineViewModel({ client: () => client, unreadDividerInView: () => null, screenful: () => 30 });
    opening.sync(long(), cache, 'online');
    expect(opening.readsWindow).toBe(false);
    await settle();
    expect(opening.readsWindow).toBe(true); // the messages show as they are fetched
    expect(opening.firstScreen).toBeNull();
  });

  it('asks for receipts once the connection is up, and reads a conversation marked unread', () => {
    client.status = 'offline';
    timeline.sync(long({ markedUnread: true }), cache, 'offline');
    expect(client.receiptsLoaded).toEqual([]);
    expect(client.read).toEqual(['c1']);
    client.status = 'online';
    timeline.sync(long({ markedUnread: true }), cache, 'online');
    expect(client.receiptsLoaded).toEqual(['c1']);
  });

  it('offers the first unread message until the user has seen it', async () => {
    cache.unread = 3;
    timeline.sync(long({ readSeq: 997 }), cache, 'online');
    await settle();
    expect(timeline.firstUnreadSeq).toBe(998);
    expect(timeline.unreadAbove).toBe(false); // nothing in view yet

    dividerInView = false;
    timeline.checkUnreadSeen();
    expect(timeline.unreadAbove).toBe(true);

    dividerInView = true;
    timeline.checkUnreadSeen();
    expect(timeline.unreadAbove).toBe(false);
    dividerInView = false;
    timeline.checkUnreadSeen();
    expect(timeline.unreadAbove).toBe(false); // seen once is enough
  });

  it('has no first unread when only events came after the read position', async () => {
    cache.unread = 0;
    timeline.sync(long({ readSeq: 990 }), cache, 'online');
    await settle();
    expect(timeline.firstUnreadSeq).toBeNull();
  });

  it('loads older pages above, one at a time, and newer ones below a window away from the newest', async () => {
    timeline.sync(long(), cache, 'online');
    const start = timeline.window!.start;
    const fetching = deferred<void>();
    client.fetch = () => fetching.promise;
    const older = timeline.loadOlder();
    expect(timeline.loadingOlder).toBe(true);
    void timeline.loadOlder(); // already loading: no second fetch
    fetching.resolve();
    await older;
    expect(timeline.loadingOlder).toBe(false);
    expect(timeline.window).toEqual({ start: start - pageSize, end: null });
    expect(client.fetched.slice(1)).toEqual([['c1', start - pageSize, start - 1]]);

    client.fetch = () => Promise.resolve();
    cache.holdSeqs(1, 60);
    await timeline.reveal(20);
    expect(timeline.window).toEqual({ start: 1, end: 20 + revealMargin });
    await timeline.loadNewer();
    expect(timeline.window).toEqual({ start: 1, end: 20 + revealMargin + pageSize });
  });

  it('keeps showing what the cache has when fetching fails', async () => {
    timeline.sync(long(), cache, 'online');
    const start = timeline.window!.start;
    client.fetch = () => Promise.reject(new Error('offline'));
    await timeline.loadOlder();
    expect(timeline.window!.start).toBe(start - pageSize);
  });

  it('reveals a message far away in a window of its own, and goes back to the newest after', async () => {
    timeline.sync(long(), cache, 'online');
    cache.holdSeqs(480, 520);
    expect(await timeline.reveal(500)).toBe(500);
    expect(timeline.window).toEqual({ start: 500 - revealMargin, end: 500 + revealMargin });
    expect(timeline.live).toBe(false);

    timeline.leaveNewest();
    expect(timeline.following).toBe(false);
    timeline.followNewest();
    expect(timeline.window).toEqual({ start: 1_000 - pageSize + 1, end: null });
    expect(timeline.following).toBe(true);
  });

  it('keeps a window reaching far back that a reveal opened while following the newest', async () => {
    // Three pages back from the newest: the newest page's window grows up to it.
    const chat = single('c1', { lastSeq: 3 * pageSize + 1, readSeq: 3 * pageSize + 1 });
    timeline.sync(chat, cache, 'online');
    cache.holdSeqs(1, 60);
    expect(await timeline.reveal(1)).toBe(1);
    expect(timeline.following).toBe(false);
    timeline.sync(chat, cache, 'online'); // the list renders again before it scrolls there
    expect(timeline.window).toEqual({ start: 1, end: null });
  });

  it('reveals nothing the cache cannot give', async () => {
    client.status = 'offline';
    client.fetch = () => Promise.reject(new Error('offline'));
    timeline.sync(long(), cache, 'offline');
    expect(await timeline.reveal(10)).toBeNull();
  });

  it('counts new messages while the user is scrolled up, and stops counting at the bottom', async () => {
    timeline.sync(long(), cache, 'online');
    cache.unread = 2;
    timeline.stopFollowing();
    await settle();
    expect(timeline.newCount).toBe(2);

    cache.unread = 5;
    timeline.sync(long({ lastSeq: 1_003 }), cache, 'online');
    await settle();
    expect(timeline.newCount).toBe(5);

    timeline.reachedBottom();
    expect(timeline.following).toBe(true);
    expect(timeline.newCount).toBe(0);
  });

  it('lets the oldest rows go while following a conversation left open for long', () => {
    timeline.sync(long(), cache, 'online');
    timeline.sync(long({ lastSeq: 1_000 + 2 * pageSize }), cache, 'online');
    expect(timeline.window!.start).toBe(1_000 - pageSize + 1);
    timeline.sync(long({ lastSeq: 1_000 + 3 * pageSize }), cache, 'online');
    expect(timeline.window).toEqual({ start: 1_000 + 2 * pageSize + 1, end: null });
  });

  it('opens afresh for another conversation, or the same one in another cache', () => {
    timeline.sync(long(), cache, 'online');
    timeline.stopFollowing();
    expect(timeline.sync(single('c2', { lastSeq: 5 }), cache, 'online')).toBe(true);
    expect(timeline.following).toBe(true);
    expect(timeline.window).toEqual({ start: 1, end: null });
    expect(timeline.sync(single('c2', { lastSeq: 5 }), new FakeTimelineCache(), 'online')).toBe(true);
  });

  it('highlights a revealed row for a moment', () => {
    let changes = 0;
    timeline.subscribe(() => changes++);
    timeline.highlight('seq/5');
    expect(timeline.highlightKey).toBe('seq/5');
    clock.advance(highlightMs - 1);
    expect(timeline.highlightKey).toBe('seq/5');
    clock.advance(1);
    expect(timeline.highlightKey).toBeNull();
    expect(changes).toBe(2);
  });

  it('notices a message the user just wrote, here or in another tab', () => {
    timeline.sync(long(), cache, 'online');
    const sent = [textEntry(999, 'bob'), textEntry(null, 'me', 'queued')];
    expect(timeline.noticeOwnSends(sent)).toBe(false); // there when the conversation opened
    expect(timeline.noticeOwnSends(sent)).toBe(false);
    expect(timeline.noticeOwnSends([...sent, textEntry(null, 'me', 'new')])).toBe(true);
    expect(timeline.noticeOwnSends([...sent, textEntry(null, 'bob', 'not mine')])).toBe(false);
  });

  it('marks the conversation read only when there is something to read', () => {
    timeline.sync(long(), cache, 'online');
    timeline.markRead();
    expect(client.read).toEqual([]);
    timeline.sync(long({ lastSeq: 1_001 }), cache, 'online');
    timeline.markRead();
    expect(client.read).toEqual(['c1']);
  });
});
