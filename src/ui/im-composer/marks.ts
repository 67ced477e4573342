/**
 * The composer's formatting: it writes the marks of the protocol's "Formatted text" around
 * the selection (or takes them away when they are already there), so that what is sent is
 * the text as typed.
 */

export type MarkKind = 'bold' | 'italic' | 'strike' | 'code' | 'codeBlock' | 'quote' | 'list';

/** A text and what is selected in it. */
export interface Edited {
  text: string;
  start: number;
  end: number;
}

const inlineMarks: Partial<Record<MarkKind, string>> = { bold: '**', italic: '_', strike: '~~', code: '`' };
const linePrefixes: Partial<Record<MarkKind, string>> = { quote: '> ', list: '- ' };
const wordCharacter = /[\p{L}\p{N}]/u;

/**
 * `text` with the mark `kind` applied to `start`–`end`: inline marks around the selection
 * (each line of it, as a mark never crosses a line break), a fenced block around whole
 * lines, or a prefix on every selected line. Applying it again takes it away.
 *
 * @example
 * applyMark('say hi', 4, 6, 'bold') // { text: 'say **hi**', start: 6, end: 8 }
 */
export function applyMark(text: string, start: number, end: number, kind: MarkKind): Edited {
  const mark = inlineMarks[kind];
  if (mark) return wrapInline(text, start, end, kind === 'italic' && insideWord(text, start, end) ? '*' : mark);
  const prefix = linePrefixes[kind];
  if (prefix) return prefixLines(text, start, end, prefix);
  return fenceBlock(text, start, end);
}

/** `_` marks nothing inside a word (snake_case): italic there takes `*`. */
function insideWord(text: string, start: number, end: number): boolean {
  return wordCharacter.test(text[start - 1] ?? '') || wordCharacter.test(text[end] ?? '');
}

function wrapInline(text: string, start: number, end: number, mark: string): Edited {
  const before = text.slice(0, start);
  const selected = text.slice(start, end);
  const after = text.slice(end);
  const size = mark.length;
  if (before.endsWith(mark) && after.startsWith(mark)) {
    return { text: before.slice(0, -size) + selected + after.slice(size), start: start - size, end: end - size };
  }
  if (selected.length >= 2 * size + 1 && selected.startsWith(mark) && selected.endsWith(mark)) {
    const inner = selected.slice(size, -size);
    return { text: before + inner + after, start, end: start + inner.length };
  }
  // Each line on its own; the spaces around a line's words stay outside the marks.
  const wrapped = selected
    .split('\n')
    .map((line) => line.replace(/^(\s*)(.*?)(\s*)$/u, (_all, lead: string, core: string, trail: string) => (core ? lead + mark + core + mark + trail : line)))
    .join('\n');
  if (selected === '') return { text: before + mark + mark + after, start: start + size, end: start + size };
  const single = !selected.includes('\n');
  const lead = single ? selected.length - selected.trimStart().length : 0;
  return {
    text: before + wrapped + after,
    start: single ? start + lead + size : start,
    end: single ? start + lead + size + selected.trim().length : start + wrapped.length,
  };
}

/** The whole lines that hold the selection. */
function linesAround(text: string, start: number, end: number): { from: number; to: number } {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const next = text.indexOf('\n', end > start && text[end - 1] === '\n' ? end - 1 : end);
  return { from, to: next < 0 ? text.length : next };
}

function prefixLines(text: string, start: number, end: number, prefix: string): Edited {
  const { from, to } = linesAround(text, start, end);
  const lines = text.slice(from, to).split('\n');
  const all = lines.every((line) => line.startsWith(prefix));
  const changed = lines.map((line) => (all ? line.slice(prefix.length) : prefix + line)).join('\n');
  const result = text.slice(0, from) + changed + text.slice(to);
  const shift = all ? -prefix.length : prefix.length;
  return start === end
    ? { text: result, start: Math.max(from, start + shift), end: Math.max(from, start + shift) }
    : { text: result, start: from, end: from + changed.length };
}

function fenceBlock(text: string, start: number, end: number): Edited {
  if (end > start && text[end - 1] === '\n') end -= 1;
  const before = text.slice(0, start);
  const selected = text.slice(start, end);
  const after = text.slice(end);
  const opening = `${before === '' || before.endsWith('\n') ? '' : '\n'}\`\`\`\n`;
  const closing = `\n\`\`\`${after === '' || after.startsWith('\n') ? '' : '\n'}`;
  const at = start + opening.length;
  return { text: before + opening + selected + closing + after, start: at, end: at + selected.length };
}
