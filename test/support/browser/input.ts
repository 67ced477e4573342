/** Input and environment for browser tests, the same in every engine (see test/support/wtr/input-plugin.ts). */
import { executeServerCommand } from '@web/test-runner-commands';

export type Engine = 'chromium' | 'firefox' | 'webkit';

/** The engine this test runs in, for assertions on an engine's own behaviour. */
export function engine(): Promise<Engine> {
  return executeServerCommand<Engine, undefined>('im-engine');
}

/** Presses keys together, as a person does: `Shift+F10`, `Control+k`, `Shift+Enter`. */
export async function pressChord(chord: string): Promise<void> {
  await executeServerCommand('im-keys', { chord });
}

/**
 * Moves the mouse over the middle of `element`, as a person points at it (it gets
 * `:hover`): once it has stopped moving (rows of a list still being laid out move), with
 * the page scrolled to show it, and coming from outside it, as a pointer does (an engine
 * reports no move to where the pointer already is).
 */
export async function hover(element: Element): Promise<void> {
  let box = await stillBox(element);
  const below = box.bottom - innerHeight;
  if (box.top < 0 || below > 0) {
    // The page only: a list that scrolls itself may scroll the element away again.
    window.scrollBy(0, box.top < 0 ? box.top : below);
    box = await stillBox(element);
  }
  const away = box.left > 1 || box.top > 1 ? { x: 0, y: 0 } : { x: innerWidth - 1, y: innerHeight - 1 };
  await executeServerCommand('im-mouse-move', away);
  await executeServerCommand('im-mouse-move', { x: box.left + box.width / 2, y: box.top + box.height / 2 });
}

/** The element's box once it is the same in two frames in a row (or after a second). */
async function stillBox(element: Element): Promise<DOMRect> {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  let box = element.getBoundingClientRect();
  for (let frames = 0; frames < 60; frames++) {
    await frame();
    const next = element.getBoundingClientRect();
    if (next.x === box.x && next.y === box.y && next.width === box.width && next.height === box.height) return next;
    box = next;
  }
  return box;
}

/** Resizes the page's viewport (CSS pixels). */
export async function setViewport(width: number, height: number): Promise<void> {
  await executeServerCommand('im-viewport', { width, height });
}

/**
 * A screenshot of the viewport as the engine painted it, its pixels in CSS pixels' places:
 * `pixel(x, y)` reads the colour at a point given as getBoundingClientRect gives it.
 * `name` names the file when the runner keeps screenshots (IM_SCREENSHOT_DIR).
 */
export async function screenshot(name: string): Promise<Screenshot> {
  const png = await executeServerCommand<string, { name: string }>('im-screenshot', { name });
  const image = new Image();
  image.src = `data:image/png;base64,${png}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(image, 0, 0);
  return new Screenshot(context.getImageData(0, 0, canvas.width, canvas.height), canvas.width / innerWidth);
}

export type Rgb = [number, number, number];

export class Screenshot {
  constructor(
    readonly image: ImageData,
    /** Image pixels per CSS pixel. */
    readonly scale: number,
  ) {}

  pixel(x: number, y: number): Rgb {
    const column = Math.min(this.image.width - 1, Math.max(0, Math.round(x * this.scale)));
    const row = Math.min(this.image.height - 1, Math.max(0, Math.round(y * this.scale)));
    const at = (row * this.image.width + column) * 4;
    const { data } = this.image;
    return [data[at]!, data[at + 1]!, data[at + 2]!];
  }

  /** Every image pixel inside `rect` (CSS pixels), with its place in CSS pixels. */
  *pixels(rect: DOMRectReadOnly): Generator<{ x: number; y: number; color: Rgb }> {
    const step = 1 / this.scale;
    for (let y = rect.top; y < rect.bottom; y += step) {
      for (let x = rect.left; x < rect.right; x += step) yield { x, y, color: this.pixel(x, y) };
    }
  }
}
