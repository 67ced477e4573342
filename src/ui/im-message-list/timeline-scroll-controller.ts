import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TimelineViewModel } from '../view-models/timeline-view-model.js';
import { rowLayout, type LayoutConfig, type Pin } from './row-layout.js';
import { captureAnchor, nextFrame, restoreAnchor, rowElement, type ScrollAnchor } from './scroll-anchor.js';
import type { TimelineRow } from './timeline-rows.js';

/** Within this distance of the bottom (px), the list follows new messages. */
const followSlack = 4;
/** How far (px) a row pinned to the top may miss it and be moved the rest of the way. */
const startSlack = 8;
/** Frames to wait for a row pinned to the top to settle. */
const settleFrames = 30;
/** A scroll this soon after the user's wheel, touch, key or pointer is theirs. */
const userScrollMs = 1_000;

export interface TimelineScrollOptions {
  view: TimelineViewModel;
  /** The virtualized list, which is also the scrolling element. */
  scroller: () => HTMLElement;
  /** Loads a seq into the list and returns its row once rendered; -1 if it could not be loaded. */
  load: (seq: number) => Promise<number>;
  /** The list scrolled: the newest messages may now be in view. */
  scrolled: () => void;
}

/**
 * How the message list scrolls: it holds the newest row at the bottom while following,
 * lets go when the user scrolls away, pins a row for one render (a reveal, or the row the
 * reader looks at when rows come in above it) and scrolls for PageUp, PageDown, Home and
 * End. The list binds the handlers below to its scroller and renders with {@link layout}.
 */
export class TimelineScrollController implements ReactiveController {
  /** A pin for the next render only (a reveal, or the anchor of rows added above). */
  #pin: Pin | null = null;
  /** Let go of the virtualizer's pin in the next render: the user scrolled away. */
  #unpin = false;
  #anchor: ScrollAnchor | null = null;
  #anchorGeneration = 0;
  /** When the user last turned the wheel, touched, pressed a key or grabbed the list. */
  #userScrollAt = -Infinity;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: TimelineScrollOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    globalThis.visualViewport?.addEventListener('resize', this.#onViewportResize);
  }

  hostDisconnected(): void {
    globalThis.visualViewport?.removeEventListener('resize', this.#onViewportResize);
  }

  /** The on-screen keyboard came or went: a list that showed the newest row still does. */
  readonly #onViewportResize = (): void => {
    if (this.options.view.following) this.host.requestUpdate();
  };

  /**
   * Before the newest row is pinned again, the real position counts: WebKit delivers the
   * user's scroll event only after the next rows have rendered, by which time the pin
   * would have pulled the list back down.
   */
  hostUpdate(): void {
    if (this.options.view.following && this.#userScrolledAway()) this.#stopFollowing();
  }

  hostUpdated(): void {
    this.#pin = null;
    this.#unpin = false;
    const anchor = this.#anchor;
    if (!anchor) return;
    this.#anchor = null;
    const generation = ++this.#anchorGeneration;
    void restoreAnchor(this.options.scroller(), anchor, {
      stillWanted: () => generation === this.#anchorGeneration && !this.options.view.following,
      release: () => this.#release(),
    });
  }

  /** The virtualizer's layout for this render: the row pinned, if any, else the newest while following. */
  layout(rowCount: number): LayoutConfig {
    const holdNewest = this.options.view.following && !this.#unpin && rowCount > 0;
    const pin = this.#pin ?? (holdNewest ? { index: rowCount - 1, block: 'end' as const } : null);
    return rowLayout(pin, this.#unpin);
  }

  /** Another conversation opened: nothing of the last one is pinned or anchored. */
  forget(): void {
    this.#pin = null;
    this.#anchor = null;
  }

  /**
   * The row the reader looks at before the rows change, while they read history (not
   * following, nothing pinned yet); see {@link keepInPlace}.
   */
  readerAnchor(): ScrollAnchor | null {
    const scroller = this.options.scroller();
    return !this.options.view.following && !this.#pin && scroller ? captureAnchor(scroller) : null;
  }

  /** Keeps the reader's row where it was when rows came in (or went) above it. */
  keepInPlace(anchor: ScrollAnchor | null, previous: readonly TimelineRow[], rows: readonly TimelineRow[]): void {
    if (!anchor || this.options.view.following) return;
    const before = previous.findIndex((row) => row.key === anchor.key);
    const after = rows.findIndex((row) => row.key === anchor.key);
    if (after >= 0 && after !== before) {
      this.#pin = { index: after, block: 'start' };
      this.#anchor = anchor;
    }
  }

  /** Scrolls to the newest message and follows new ones again. */
  followNewest(): void {
    this.#anchor = null;
    this.#pin = null;
    this.#userScrollAt = -Infinity; // the scrolls that follow are the list's own
    this.options.view.followNewest();
  }

  /**
   * Scrolls row `index` into view and resolves once the virtualizer has laid it out. With
   * `block: 'start'` and the row's `key`, the row then starts exactly at the top: WebKit's
   * pin may stop a pixel or two short, which leaves the row above peeking in.
   */
  async scrollToRow(index: number, block: ScrollLogicalPosition, key?: string): Promise<void> {
    this.options.view.leaveNewest();
    this.#anchor = null;
    this.#userScrollAt = -Infinity;
    this.#pin = { index, block };
    this.host.requestUpdate();
    await this.host.updateComplete;
    // The virtualizer lays out over the next frames (measure, then position).
    for (let frame = 0; frame < 3; frame++) await nextFrame();
    const scroller = this.options.scroller();
    if (key === undefined || block !== 'start' || !scroller) return;
    // Once the row stops moving (the virtualizer may still be measuring), close the gap.
    let last: number | null = null;
    for (let frame = 0; frame < settleFrames; frame++) {
      const row = rowElement(scroller, key);
      if (!row || this.options.view.following) return;
      const gap = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      if (last !== null && Math.abs(gap - last) < 0.5) {
        if (Math.abs(gap) < 0.5 || Math.abs(gap) > startSlack) return;
        await this.#release();
        scroller.scrollTop += gap;
        return;
      }
      last = gap;
      await nextFrame();
    }
  }

  /** Whether the newest messages are within `slack` px of the view's bottom. */
  atLiveBottom(slack: number): boolean {
    const scroller = this.options.scroller();
    return (
      this.options.view.live &&
      !!scroller &&
      scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= slack
    );
  }

  /** The user scrolled a moment ago and the list is no longer at its bottom. */
  #userScrolledAway(): boolean {
    const scroller = this.options.scroller();
    if (!scroller || performance.now() - this.#userScrollAt >= userScrollMs) return false;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight > followSlack;
  }

  /** The virtualizer let go of its pin because of a scroll that was not its own. */
  onUnpinned = (): void => {
    if (!this.options.view.following) return;
    if (this.atLiveBottom(followSlack)) this.host.requestUpdate(); // hold the newest row again
    else this.#stopFollowing();
  };

  onScroll = (): void => {
    const view = this.options.view;
    const atBottom = this.atLiveBottom(followSlack);
    // The virtualizer's corrections scroll too; only the user's own scrolling stops following.
    const byUser = performance.now() - this.#userScrollAt < userScrollMs;
    if (view.following && !atBottom && byUser) this.#stopFollowing();
    else if (!view.following && atBottom) view.reachedBottom();
    this.options.scrolled();
  };

  /**
   * The user is about to scroll (wheel, touch, pointer, key): let go of the newest row
   * now, before the scroll arrives. The virtualizer takes a scroll that comes right after
   * one of its own corrections for another correction, and would pull the list back down.
   */
  noteUserScroll = {
    handleEvent: () => {
      this.#userScrollAt = performance.now();
      if (this.options.view.following) {
        this.#unpin = true;
        this.host.requestUpdate();
      }
    },
    passive: true,
  };

  onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    this.noteUserScroll.handleEvent();
    const scroller = this.options.scroller();
    const page = scroller.clientHeight * 0.9;
    switch (event.key) {
      case 'PageUp':
        scroller.scrollTop -= page;
        break;
      case 'PageDown':
        scroller.scrollTop += page;
        break;
      case 'Home':
        void this.#toBeginning();
        break;
      case 'End':
        this.followNewest();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  async #toBeginning(): Promise<void> {
    if ((await this.options.load(1)) >= 0) await this.scrollToRow(0, 'start');
  }

  #stopFollowing(): void {
    this.#unpin = true;
    this.options.view.stopFollowing();
  }

  /** Lets go of the virtualizer's pin, so that a scroll of the list's own stays. */
  async #release(): Promise<void> {
    this.#unpin = true;
    this.host.requestUpdate();
    await this.host.updateComplete;
    await nextFrame(); // the virtualizer takes its new layout settings asynchronously
  }
}
