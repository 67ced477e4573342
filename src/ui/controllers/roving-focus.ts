/**
 * The keys of a list that is one Tab stop (roving tabindex): where each key moves the
 * focus, and which keys open an item's menu. The conversation list and the message list
 * both move this way.
 */

/** Items that PageUp and PageDown pass over when the list does not say how many are in view. */
const defaultPage = 10;

/**
 * The index that `key` moves the focus to in a list of `count` items, from `current`;
 * null when the key is not a move (the event is then left alone).
 *
 * @example
 * const next = rovingTarget(event.key, index, rows.length, rowsInView);
 * if (next !== null) { event.preventDefault(); focusRow(next); }
 */
export function rovingTarget(key: string, current: number, count: number, page = defaultPage): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const step = Math.max(1, page);
  switch (key) {
    case 'ArrowDown':
      return Math.min(current + 1, last);
    case 'ArrowUp':
      return Math.max(current - 1, 0);
    case 'PageDown':
      return Math.min(current + step, last);
    case 'PageUp':
      return Math.max(current - step, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** Whether the key asks for the focused item's menu (Firefox and WebKit do not always turn it into a contextmenu event). */
export function isMenuKey(event: KeyboardEvent): boolean {
  return event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10');
}
