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
 * The virtualizer's flow layout, guessing rows smaller than they are (one short line)
 * before it has measured any. With its default guess (100px) it renders too few rows at
 * first and adds more while it handles their measurement, which the browser reports to
 * the host page as "ResizeObserver loop completed with undelivered notifications"; too
 * small a guess only drops rows, so opening a conversation reports it less often.
 */
class RowLayout extends FlowLayout {
  override _itemSize = { width: 0, height: 24 };
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
