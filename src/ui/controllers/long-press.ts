/** Holding a finger this long on something opens its menu, as right-click does with a mouse. */
const longPressMs = 500;
/** A resting finger still wobbles; moving farther than this (px) is a scroll or a swipe. */
const slopPx = 10;

/**
 * Touch long-press for context menus: `start` on pointerdown, `move` on pointermove,
 * `cancel` on pointerup and pointercancel. Mouse and pen use the `contextmenu` event instead.
 */
export class LongPress {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #from: { x: number; y: number } | null = null;

  start(event: PointerEvent, action: (at: { x: number; y: number }) => void): void {
    this.cancel();
    if (event.pointerType !== 'touch') return;
    const at = { x: event.clientX, y: event.clientY };
    this.#from = at;
    this.#timer = setTimeout(() => {
      action(at);
      swallowWhatTheLiftDoes();
    }, longPressMs);
  }

  move = (event: PointerEvent): void => {
    const from = this.#from;
    if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > slopPx) this.cancel();
  };

  cancel = (): void => {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#from = null;
  };
}

/**
 * What the lifting finger does next must not close the menu it just opened: Chrome on
 * Android sends its own contextmenu, other browsers a click, both landing on the menu's
 * backdrop. Both are swallowed until that click or the next touch begins.
 */
function swallowWhatTheLiftDoes(): void {
  const swallow = (event: Event) => {
    event.preventDefault();
    event.stopPropagation();
    if (event.type === 'click') done();
  };
  const done = () => {
    removeEventListener('contextmenu', swallow, true);
    removeEventListener('click', swallow, true);
    removeEventListener('pointerdown', done, true);
  };
  addEventListener('contextmenu', swallow, true);
  addEventListener('click', swallow, true);
  addEventListener('pointerdown', done, true);
}
