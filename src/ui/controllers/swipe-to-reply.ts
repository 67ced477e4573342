/** Moving a finger this far (px) decides the gesture: sideways a swipe, up or down the list's scroll. */
const decidePx = 10;
/** A message pulled this far (px) past the decision replies when the finger lifts. */
export const swipeReplyPx = 56;
/** It follows the finger no farther than this (px). */
const maxPullPx = 80;

interface Gesture {
  pointerId: number;
  x: number;
  y: number;
  /** -1 in right-to-left text, where the swipe goes the other way. */
  direction: 1 | -1;
  row: HTMLElement;
  reply: () => void;
  swiping: boolean;
  pull: number;
}

/**
 * Swipe-to-reply on touch screens: a message pulled sideways (towards the end of the line)
 * follows the finger, and past {@link swipeReplyPx} it replies when the finger lifts. A
 * finger that first moves up or down is the list's scroll and is left alone (rows take
 * `touch-action: pan-y`, so the browser keeps vertical scrolling and cancels the pointer).
 * The row shows the pull as `--im-swipe-x` and the classes `swiping` and `swipe-ready`.
 */
export class SwipeToReply {
  #gesture: Gesture | null = null;

  start(event: PointerEvent, row: HTMLElement, reply: () => void): void {
    this.#reset();
    if (event.pointerType !== 'touch' || !event.isPrimary) return;
    const direction = getComputedStyle(row).direction === 'rtl' ? -1 : 1;
    this.#gesture = { pointerId: event.pointerId, x: event.clientX, y: event.clientY, direction, row, reply, swiping: false, pull: 0 };
  }

  move = (event: PointerEvent): void => {
    const gesture = this.#gesture;
    if (!gesture || event.pointerId !== gesture.pointerId) return;
    const dx = (event.clientX - gesture.x) * gesture.direction;
    const dy = event.clientY - gesture.y;
    if (!gesture.swiping) {
      if (Math.abs(dy) > decidePx && Math.abs(dy) >= Math.abs(dx)) return this.#reset(); // a scroll
      if (dx <= decidePx || dx < 2 * Math.abs(dy)) return;
      gesture.swiping = true;
      gesture.row.classList.add('swiping');
    }
    gesture.pull = Math.min(maxPullPx, Math.max(0, dx - decidePx));
    gesture.row.style.setProperty('--im-swipe-x', `${gesture.pull * gesture.direction}px`);
    gesture.row.classList.toggle('swipe-ready', gesture.pull >= swipeReplyPx);
  };

  /** The finger lifted: a message pulled far enough replies. */
  end = (event: PointerEvent): void => {
    const gesture = this.#gesture;
    if (!gesture || event.pointerId !== gesture.pointerId) return;
    this.#reset();
    if (gesture.swiping && gesture.pull >= swipeReplyPx) gesture.reply();
  };

  cancel = (event: PointerEvent): void => {
    if (event.pointerId === this.#gesture?.pointerId) this.#reset();
  };

  #reset(): void {
    const row = this.#gesture?.row;
    this.#gesture = null;
    if (!row) return;
    row.classList.remove('swiping', 'swipe-ready');
    row.style.removeProperty('--im-swipe-x');
  }
}
