/** Holding a finger this long on something opens its menu, as right-click does with a mouse. */
const longPressMs = 500;

/**
 * Touch long-press for context menus: `start` on pointerdown, `cancel` on pointerup,
 * pointercancel and pointermove. Mouse and pen use the `contextmenu` event instead.
 */
export class LongPress {
  #timer: ReturnType<typeof setTimeout> | undefined;

  start(event: PointerEvent, action: (at: { x: number; y: number }) => void): void {
    this.cancel();
    if (event.pointerType !== 'touch') return;
    const at = { x: event.clientX, y: event.clientY };
    this.#timer = setTimeout(() => action(at), longPressMs);
  }

  cancel = (): void => {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  };
}
