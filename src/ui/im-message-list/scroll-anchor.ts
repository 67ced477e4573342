/**
 * Keeping what the reader looks at in place while rows are added or removed above it.
 * The virtualizer positions rows by index, so rows inserted above shift everything; the
 * list pins the anchor row's new index (the virtualizer then renders it at the top of
 * the view) and, once the layout has settled, scrolls by the anchor's old offset.
 */

/** A row in view and how far its top was below the top of the viewport (px, may be negative). */
export interface ScrollAnchor {
  key: string;
  offset: number;
}

/** Frames to wait for the virtualizer to settle before giving up on an anchor. */
const maxFrames = 30;

/**
 * The first message or event at least partly in view. Rows carry their key in `data-row`;
 * those of messages and events also their entry's in `data-key`. A day's heading is never
 * the anchor: it is keyed by the day's first loaded message, so it is another row once
 * older messages of that day load above, and the place would be lost.
 */
export function captureAnchor(scroller: HTMLElement): ScrollAnchor | null {
  const top = scroller.getBoundingClientRect().top;
  for (const row of scroller.children) {
    if (!(row instanceof HTMLElement) || row.dataset.row === undefined || row.dataset.key === undefined) continue;
    const rect = row.getBoundingClientRect();
    if (rect.bottom > top + 1) return { key: row.dataset.row, offset: rect.top - top };
  }
  return null;
}

/** The rendered row with this key, if it is rendered. */
export function rowElement(scroller: HTMLElement, key: string): HTMLElement | null {
  for (const row of scroller.children) {
    if (row instanceof HTMLElement && row.dataset.row === key) return row;
  }
  return null;
}

/**
 * Waits until the anchor row is rendered and has stopped moving for a frame, has the
 * virtualizer let go of its pin (`release`), then scrolls so that the row is `offset`
 * below the viewport's top again. Returns false when the row never showed up (it was
 * removed, or the list went away) or the anchor was dropped (`stillWanted`).
 */
export async function restoreAnchor(
  scroller: HTMLElement,
  anchor: ScrollAnchor,
  hooks: { stillWanted: () => boolean; release: () => Promise<void> },
): Promise<boolean> {
  const offsetOf = (row: HTMLElement) => row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  let last: number | null = null;
  for (let frame = 0; frame < maxFrames; frame++) {
    await nextFrame();
    if (!hooks.stillWanted() || !scroller.isConnected) return false;
    const row = rowElement(scroller, anchor.key);
    if (!row) continue;
    const offset = offsetOf(row);
    if (last !== null && Math.abs(offset - last) < 0.5) {
      await hooks.release();
      if (!hooks.stillWanted()) return false;
      scroller.scrollTop += offsetOf(row) - anchor.offset;
      return true;
    }
    last = offset;
  }
  return false;
}

export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
