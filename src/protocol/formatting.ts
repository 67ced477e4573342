/**
 * The marks of a text message (protocol README, "Formatted text"): the text stays as the
 * author typed it on the wire; clients that know the marks show its structure, others the
 * text as it is. `parseFormatted` is the reference reading of the marks, a pure function.
 */

/** A run of a line: text, a link, an inline code span, or marks around more runs. */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'code'; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: Inline[] };

/** A block of lines: plain lines, quoted lines, a list, or a fenced code block. */
export type Block =
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'quote'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'code'; language: string | null; text: string };

/**
 * URLs written in a message: http(s) with a scheme, `www.` hosts, and `mailto:` addresses.
 * Trailing punctuation that usually ends a sentence (and a closing mark) is left out of the
 * link; full-width punctuation ends a URL, since Chinese text runs on without spaces.
 */
const linkPattern =
  /(?<![a-z\d])(?:https?:\/\/|www\.)[^\s<>"'`。，；：！？、（）【】「」『』]+|(?<![a-z\d])mailto:[^\s<>"'`。，；：！？、]+@[^\s<>"'`。，；：！？、]+/gi;
const trailingPunctuation = /[.,;:!?)\]}'"*_~。，；：！？）】」』]/u;

export interface FoundLink {
  start: number;
  end: number;
  href: string;
}

/** The links of a text, in order; only http(s) and mailto links are made. */
export function findLinks(text: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const match of text.matchAll(linkPattern)) {
    const raw = trimTrailing(match[0]);
    const href = safeHref(raw);
    if (href) found.push({ start: match.index, end: match.index + raw.length, href });
  }
  return found;
}

/** Drops sentence punctuation after a URL; a `)` stays when the URL opened it (wiki links). */
function trimTrailing(raw: string): string {
  let end = raw.length;
  while (end > 0 && trailingPunctuation.test(raw[end - 1]!)) {
    const kept = raw.slice(0, end);
    if (raw[end - 1] === ')' && kept.split('(').length >= kept.split(')').length) break;
    end -= 1;
  }
  return raw.slice(0, end);
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

const fenceOpen = /^```([\w+#.-]{1,20})?[ \t]*$/;
const fenceClose = /^```[ \t]*$/;
const quoteLine = /^>(?: (.*))?$/;
const listLine = /^(?:([-*])|(\d{1,9})[.)]) (.*\S.*)$/;

/**
 * A message's text as blocks of inline runs. Every character of the text is kept but the
 * marks; a mark without its closing twin stays as typed.
 *
 * @example
 * parseFormatted('**hi** `x`') // [{ kind: 'paragraph', children: [{ kind: 'bold', … }, …] }]
 */
export function parseFormatted(text: string): Block[] {
  const lines = text.split('\n');
  // Lines of one kind that follow each other make one block.
  const grouped: Array<Extract<Block, { kind: 'code' }> | { kind: 'paragraph' | 'quote' | 'list'; ordered?: boolean; start?: number; lines: string[] }> = [];
  const add = (kind: 'paragraph' | 'quote' | 'list', line: string, ordered?: boolean, start?: number) => {
    const last = grouped.at(-1);
    if (last && last.kind === kind && 'lines' in last && last.ordered === ordered) last.lines.push(line);
    else grouped.push({ kind, ordered, start, lines: [line] });
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fence = fenceOpen.exec(line);
    const close = fence ? lines.findIndex((candidate, at) => at > index && fenceClose.test(candidate)) : -1;
    const quote = quoteLine.exec(line);
    const item = listLine.exec(line);
    if (fence && close > 0) {
      grouped.push({ kind: 'code', language: fence[1]?.toLowerCase() ?? null, text: lines.slice(index + 1, close).join('\n') });
      index = close;
    } else if (quote) add('quote', quote[1] ?? '');
    else if (item) add('list', item[3]!, item[2] !== undefined, Number(item[2] ?? 1));
    else add('paragraph', line);
  }
  return grouped.map((block): Block => {
    if (block.kind === 'code') return block;
    if (block.kind === 'list') return { kind: 'list', ordered: block.ordered!, start: block.start!, items: block.lines.map(parseInline) };
    // Quoted lines are parsed together, as one block.
    return { kind: block.kind, children: parseInline(block.lines.join('\n')) };
  });
}

/** Marks: the character, the run's length, and what it makes. */
const marks: Record<string, Array<Array<'bold' | 'italic' | 'strike'>>> = {
  '*': [[], ['italic'], ['bold'], ['bold', 'italic']],
  _: [[], ['italic']],
  '~': [[], [], ['strike']],
};

/** Marks nest this deep at most; deeper ones stay as typed. */
const maxDepth = 6;

const space = /\s/u;
const wordCharacter = /[\p{L}\p{N}]/u;

/** One line or more of text as inline runs; a run never crosses a line break. */
export function parseInline(text: string): Inline[] {
  const links = new Map(findLinks(text).map((link) => [link.start, link]));
  return inlineRuns(text, 0, text.length, links, 0);
}

function runLength(text: string, at: number, to: number): number {
  let end = at;
  while (end < to && text[end] === text[at]) end++;
  return end - at;
}

/** Where a code span opened by `length` backticks at `at` ends (after its closing run), or -1. */
function codeSpanEnd(text: string, at: number, to: number, length: number): number {
  for (let index = at + length; index < to && text[index] !== '\n'; ) {
    const run = text[index] === '`' ? runLength(text, index, to) : 0;
    if (run === length) return index > at + length ? index + run : -1;
    index += run || 1;
  }
  return -1;
}

/** The start of the run that closes a mark of `length` characters `mark` opened before `from`, or -1. */
function closerOf(text: string, from: number, to: number, mark: string, length: number, links: Map<number, FoundLink>): number {
  for (let index = from; index < to && text[index] !== '\n'; ) {
    const link = links.get(index);
    if (link) {
      index = link.end;
      continue;
    }
    const character = text[index]!;
    const run = character === '`' || character === mark ? runLength(text, index, to) : 1;
    if (character === '`') {
      const end = codeSpanEnd(text, index, to, run);
      index = end > 0 ? end : index + run;
      continue;
    }
    if (
      character === mark &&
      run === length &&
      index > from &&
      !space.test(text[index - 1]!) &&
      !(mark === '_' && wordCharacter.test(text[index + run] ?? ''))
    ) {
      return index;
    }
    index += run;
  }
  return -1;
}

function inlineRuns(text: string, from: number, to: number, links: Map<number, FoundLink>, depth: number): Inline[] {
  const runs: Inline[] = [];
  let plain = '';
  const push = (run: Inline) => {
    if (plain) runs.push({ kind: 'text', text: plain });
    plain = '';
    runs.push(run);
  };
  // A mark with no closer on this line has none further on either: not looked for again.
  const unclosed = new Set<string>();
  for (let index = from; index < to; ) {
    const character = text[index]!;
    if (character === '\n') unclosed.clear();
    const link = links.get(index);
    if (link && link.end <= to) {
      push({ kind: 'link', text: text.slice(index, link.end), href: link.href });
      index = link.end;
      continue;
    }
    const run = character === '`' || character in marks ? runLength(text, index, to) : 0;
    if (character === '`') {
      const end = unclosed.has(`\`${run}`) ? -1 : codeSpanEnd(text, index, to, run);
      if (end > 0) push({ kind: 'code', text: text.slice(index + run, end - run) });
      else unclosed.add(`\`${run}`);
      if (end < 0) plain += text.slice(index, index + run);
      index = end > 0 ? end : index + run;
      continue;
    }
    const kinds = run ? marks[character]![run] : undefined;
    const opens =
      kinds?.length &&
      depth < maxDepth &&
      index + run < to &&
      !space.test(text[index + run]!) &&
      !(character === '_' && wordCharacter.test(text[index - 1] ?? '')) &&
      !unclosed.has(character + run);
    const close = opens ? closerOf(text, index + run, to, character, run, links) : -1;
    if (close < 0) {
      if (opens) unclosed.add(character + run);
      plain += run ? text.slice(index, index + run) : character;
      index += run || 1;
      continue;
    }
    let children = inlineRuns(text, index + run, close, links, depth + 1);
    for (const kind of [...kinds!].reverse()) children = [{ kind, children }];
    push(children[0]!);
    index = close + run;
  }
  if (plain) runs.push({ kind: 'text', text: plain });
  return runs;
}

/** The text of runs without their marks. */
export function inlineText(runs: readonly Inline[]): string {
  return runs.map((run) => ('children' in run ? inlineText(run.children) : run.text)).join('');
}

/** A text none of whose characters can be a mark reads as it is. */
const maybeMarked = /[*_~`]|^(?:>|[-*] |\d{1,9}[.)] )/m;

/**
 * A message's text as one reads it, without marks: what previews, notifications and the
 * search index show and match. List items keep a bullet or their number; code keeps its lines.
 */
export function plainText(text: string): string {
  if (!maybeMarked.test(text)) return text;
  return parseFormatted(text)
    .map((block) => {
      switch (block.kind) {
        case 'code':
          return block.text;
        case 'list':
          return block.items.map((item, at) => `${block.ordered ? `${block.start + at}.` : '•'} ${inlineText(item)}`).join('\n');
        default:
          return inlineText(block.children);
      }
    })
    .join('\n');
}
