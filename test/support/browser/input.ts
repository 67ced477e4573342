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
 * Moves the mouse over the middle of `element`, as a person pointing at it (it gets
 * `:hover`); the page scrolls it into view first, if it is not.
 */
export async function hover(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const box = element.getBoundingClientRect();
  await executeServerCommand('im-mouse-move', { x: box.left + box.width / 2, y: box.top + box.height / 2 });
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
