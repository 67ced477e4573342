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

/** The height (px) the layout gives a row before measuring it: no message is shorter. */
export const guessedRowHeight = 24;

/**
 * The virtualizer's flow layout, guessing rows smaller than they are (one short line)
 * before it has measured any. With its default guess (100px) it renders too few rows at
 * first and adds more while it handles their measurement, which the browser reports to
 * the host page as "ResizeObserver loop completed with undelivered notifications"; too
 * small a guess only drops rows, so opening a conversation reports it less often.
 */
class RowLayout extends FlowLayout {
  override _itemSize = { width: 0, height: guessedRowHeight };

  /**
   * The newest row held at the bottom is the end of the list: the flow layout lays the last
   * row out at the end of the size it is about to give the list, but scrolls to where that
   * row was before (a guessed place, before the first rows are measured). The list then
   * opened short of its newest message and came down over the next frames.
   */
  protected override _calculateScrollIntoViewPosition(pin: Pin): number {
    if (pin.block === 'end' && pin.index >= this.items.length - 1) return this._clampScrollPosition(Infinity);
    return super._calculateScrollIntoViewPosition(pin);
  }

  /**
   * Where a pin may scroll to: within the size this layout gives the list now, not the
   * scroll height the list had before it (which the flow layout clamps to).
   */
  override _clampScrollPosition(position: number): number {
    const offset = this.offsetWithinScroller.top;
    return Math.max(-offset, Math.min(position, offset + this._scrollSize - this.viewportSize.height));
  }
}

/**
 * Lets go of a pin. The virtualizer unpins by itself only on scrolls it does not take for
 * its own corrections, which misses a scroll that comes right after one; its flow layout
 * takes a null pin as "not pinned".
 */
const unpinned = { type: RowLayout, pin: null } as unknown as LayoutConfig;
const unchanged: LayoutConfig = { type: RowLayout };

/** For one render: hold `pin`, or let go of any pin (`release`), or leave the layout as it is. */
export function rowLayout(pin: Pin | null, release: boolean): LayoutConfig {
  if (pin) return { type: RowLayout, pin };
  return release ? unpinned : unchanged;
}
