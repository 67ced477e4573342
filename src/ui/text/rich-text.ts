import { html, nothing, type TemplateResult } from 'lit';

/**
 * URLs written in a message: http(s) with a scheme, `www.` hosts, and `mailto:` addresses.
 * Trailing punctuation that usually ends a sentence is left out of the link; full-width
 * punctuation ends a URL, since Chinese text runs on without spaces.
 */
const linkPattern =
  /\b(?:https?:\/\/|www\.)[^\s<>"'。，；：！？、（）【】「」『』]+|\bmailto:[^\s<>"'。，；：！？、]+@[^\s<>"'。，；：！？、]+/gi;
const trailingPunctuation = /[.,;:!?)\]}'"。，；：！？）】」』]/u;

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** Splits a message's text into plain runs and links; only http(s) and mailto links are made. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(linkPattern)) {
    const raw = trimTrailing(match[0]);
    const href = safeHref(raw);
    if (!href) continue;
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Drops sentence punctuation after a URL; a `)` stays when the URL opened it (wiki links). */
function trimTrailing(raw: string): string {
  let end = raw.length;
  while (end > 0 && trailingPunctuation.test(raw[end - 1]!)) {
    const kept = raw.slice(0, end);
    if (raw[end - 1] === ')' && count(kept, '(') >= count(kept, ')')) break;
    end -= 1;
  }
  return raw.slice(0, end);
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

function safeHref(raw: string): string | null {
  const candidate = raw.toLowerCase().startsWith('www.') ? `https://${raw}` : raw;
  try {
    const url = new URL(candidate);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
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
