/** The virtualizer's layout settings for the message list, one render at a time. */
import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';
import type { VirtualizeDirectiveConfig } from '@lit-labs/virtualizer/virtualize.js';
import type { TimelineRow } from './timeline-rows.js';

/** Where the virtualizer should hold a row until the user scrolls. */
export interface Pin {
  index: number;
  block: ScrollLogicalPosition;
}

export type LayoutConfig = NonNullable<VirtualizeDirectiveConfig<TimelineRow>['layout']>;

/**
 * How far beyond the view (px, above and below) the virtualizer renders rows: none until
 * the first rows have been measured, so that the first frame holds only what it shows;
 * then a screenful or so, so that scrolling finds rows ready.
 */
export const firstOverhang = 0;
/** What a row not yet measured is taken to be (px): one short line. */
export const guessedRowHeight = 24;
export const overhang = 1000;

/**
 * The virtualizer's flow layout, guessing rows smaller than they are (one short line)
 * before it has measured any. With its default guess (100px) it renders too few rows at
 * first and adds more while it handles their measurement, which the browser reports to
 * the host page as "ResizeObserver loop completed with undelivered notifications"; too
 * small a guess only drops rows, so opening a conversation reports it less often.
 * Its overhang is a setting (`overhang` in the layout config).
 */
class RowLayout extends FlowLayout {
  override _itemSize = { width: 0, height: guessedRowHeight };
  override _overhang = firstOverhang;

  set overhang(px: number) {
    if (px === this._overhang) return;
    this._overhang = px;
    // More rows around the view now: lay out again (a no-op before the first layout).
    this._triggerReflow();
  }

  get overhang(): number {
    return this._overhang;
  }
}

/**
 * For one render: hold `pin`, or let go of any pin (`release`), or leave the pin as it
 * is; and render rows this far around the view (see {@link overhang}). A null pin is how
 * the flow layout is told "not pinned": the virtualizer unpins by itself only on scrolls
 * it does not take for its own corrections, which misses a scroll that comes right after one.
 */
export function rowLayout(pin: Pin | null, release: boolean, around: number): LayoutConfig {
  if (pin) return { type: RowLayout, pin, overhang: around } as LayoutConfig;
  return (release ? { type: RowLayout, pin: null, overhang: around } : { type: RowLayout, overhang: around }) as unknown as LayoutConfig;
}
