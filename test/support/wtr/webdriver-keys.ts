/** Key names as tests write them (the DOM's `KeyboardEvent.key`) in WebDriver's key codes. */
const codes: Record<string, string> = {
  Backspace: '\uE003',
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Escape: '\uE00C',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
  End: '\uE010',
  Home: '\uE011',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Delete: '\uE017',
  F10: '\uE03A',
  Meta: '\uE03D',
};

export function webdriverKey(key: string): string {
  if (key.length === 1 || key in codes) return codes[key] ?? key;
  throw new Error(`No WebDriver code for the key "${key}".`);
}

type KeyAction = { type: 'keyDown' | 'keyUp'; value: string };

/**
 * One key action sequence: every key of `chord` down in order, then up in reverse.
 * Each typed character is its own chord, so a doubled letter is pressed twice (keys held
 * down together, as a plain list of keys sends them, drop the repeat and spaces in WebKit).
 */
export function keyActions(chords: string[][]): { type: 'key'; id: string; actions: KeyAction[] }[] {
  const actions: KeyAction[] = [];
  for (const chord of chords) {
    const values = chord.map(webdriverKey);
    for (const value of values) actions.push({ type: 'keyDown', value });
    for (const value of [...values].reverse()) actions.push({ type: 'keyUp', value });
  }
  return [{ type: 'key', id: 'keyboard', actions }];
}
