import { html, nothing, type TemplateResult } from 'lit';
import { findLinks } from '../../protocol/formatting.js';

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** Splits a message's text into plain runs and links; only http(s) and mailto links are made. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const { start, end, href } of findLinks(text)) {
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: text.slice(start, end), href });
    last = end;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/**
 * A message's text as Lit nodes: text stays text, links open in a new tab without
 * referrer. Links leave the Tab order when the message is not `tabbable` (a list that is
 * one Tab stop).
 */
export function richText(text: string, { tabbable = true }: { tabbable?: boolean } = {}): Array<string | TemplateResult> {
  return splitLinks(text).map((part) =>
    part.kind === 'text'
      ? part.text
      : html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow" part="link" tabindex=${tabbable ? nothing : -1}
          >${part.text}</a
        >`,
  );
}

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
