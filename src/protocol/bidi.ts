/**
 * Bidirectional formatting characters: embeddings, overrides, isolates and marks. In a
 * name they reorder what follows, so `invoice\u202Efdp.exe` reads as `invoiceexe.pdf`.
 */
const bidiControls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The name as its characters are stored, without the controls that would disguise it. */
export function withoutBidiControls(name: string): string {
  return name.replace(bidiControls, '');
}
