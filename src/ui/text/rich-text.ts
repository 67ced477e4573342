/** Text of messages that shows differently: a few emoji alone show larger. */
// Emoji, their modifiers and joiners, and the spaces between them.
const emojiOnlyPattern =
  /^(?:[\p{Extended_Pictographic}\p{Emoji_Component}\u200d\ufe0f\u20e3]|\s)+$/u;
const digitsOrSymbols = /^[\d#*\s]+$/;

/** Short messages of emoji only (up to `max` of them) are shown larger. */
export function isEmojiOnly(text: string, max = 3): boolean {
  const trimmed = text.trim();
  if (!trimmed || !emojiOnlyPattern.test(trimmed) || digitsOrSymbols.test(trimmed)) return false;
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(trimmed)].filter(
    (segment) => segment.segment.trim() !== '',
  );
  return graphemes.length <= max;
}
