import { describe, expect, it } from 'vitest';
import { keyboardInset } from '../../../src/ui/controllers/keyboard-inset.js';

/** A phone's screen, 760 px high, with the messenger filling it below a 40 px bar. */
const screen = 760;
const messenger = { top: 40, bottom: 760 };

describe('the part of the messenger the on-screen keyboard covers', () => {
  it('is nothing while the whole screen is visible', () => {
    expect(keyboardInset(messenger, { offsetTop: 0, height: screen, scale: 1 }, screen)).toBe(0);
  });

  it('is the strip below the visible area when the keyboard shrinks only the visual viewport (iOS Safari)', () => {
    expect(keyboardInset(messenger, { offsetTop: 0, height: 420, scale: 1 }, screen)).toBe(340);
    // The browser scrolled the page up a little to show the focused composer.
    expect(keyboardInset(messenger, { offsetTop: 100, height: 420, scale: 1 }, screen)).toBe(240);
  });

  it('is nothing when the keyboard resized the page itself (interactive-widget=resizes-content)', () => {
    expect(keyboardInset({ top: 40, bottom: 420 }, { offsetTop: 0, height: 420, scale: 1 }, 420)).toBe(0);
  });

  it('is nothing for a messenger further down a page that scrolls, or a page the reader zoomed into', () => {
    expect(keyboardInset({ top: 600, bottom: 1400 }, { offsetTop: 0, height: 420, scale: 1 }, screen)).toBe(0);
    expect(keyboardInset(messenger, { offsetTop: 200, height: 380, scale: 2 }, screen)).toBe(0);
  });

  it('never exceeds the messenger’s own height', () => {
    expect(keyboardInset({ top: 600, bottom: 760 }, { offsetTop: 0, height: 420, scale: 1 }, screen)).toBe(160);
  });
});
