/** Keeps a press's pointer on its element while it moves off it; a pointer already gone cannot be kept. */
export function capture(event: PointerEvent): void {
  try {
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
  } catch {
    // The pointer was released meanwhile: its moves simply stop reaching the element.
  }
}
