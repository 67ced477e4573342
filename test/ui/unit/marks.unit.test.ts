import { describe, expect, it } from 'vitest';
import { parseFormatted } from '../../../src/protocol/formatting.js';
import { applyMark, type MarkKind } from '../../../src/ui/im-composer/marks.js';

/** Applies a mark to the part of `marked` between `[` and `]`, and shows the result the same way. */
function apply(marked: string, kind: MarkKind): string {
  const start = marked.indexOf('[');
  const end = marked.indexOf(']') - 1;
  const text = marked.replace('[', '').replace(']', '');
  const result = applyMark(text, start, end, kind);
  return `${result.text.slice(0, result.start)}[${result.text.slice(result.start, result.end)}]${result.text.slice(result.end)}`;
}

describe('the composer’s marks', () => {
  it('wrap the selection, keep it selected, and unwrap it again', () => {
    expect(apply('say [hi] now', 'bold')).toBe('say **[hi]** now');
    expect(apply('say **[hi]** now', 'bold')).toBe('say [hi] now');
    expect(apply('say [**hi**] now', 'bold')).toBe('say [hi] now');
    expect(apply('a [b] c', 'strike')).toBe('a ~~[b]~~ c');
    expect(apply('run [npm i]', 'code')).toBe('run `[npm i]`');
    expect(apply('so [good]', 'italic')).toBe('so _[good]_');
  });

  it('put the caret between new marks when nothing is selected', () => {
    expect(apply('x []', 'bold')).toBe('x **[]**');
    expect(apply('[]', 'code')).toBe('`[]`');
  });

  it('leave the spaces around the words outside, mark each line, and italicise inside words with stars', () => {
    expect(apply('a[ word ]b', 'bold')).toBe('a **[word]** b');
    expect(apply('[one\ntwo]', 'bold')).toBe('[**one**\n**two**]');
    expect(apply('un[believ]able', 'italic')).toBe('un*[believ]*able');
  });

  it('fence whole lines as a code block, keeping their indentation', () => {
    expect(apply('see:[\n  if (a) {\n    b();\n  }]', 'codeBlock')).toBe('see:\n```\n[\n  if (a) {\n    b();\n  }]\n```');
    expect(apply('[]', 'codeBlock')).toBe('```\n[]\n```');
    expect(apply('look [x] here', 'codeBlock')).toBe('look \n```\n[x]\n```\n here');
  });

  it('quote or list every selected line, and take the prefix away again', () => {
    expect(apply('[one\ntwo]', 'quote')).toBe('[> one\n> two]');
    expect(apply('[> one\n> two]', 'quote')).toBe('[one\ntwo]');
    expect(apply('first\nse[]cond', 'list')).toBe('first\n- se[]cond');
  });

  it('make what the parser reads as the mark', () => {
    const kinds = { bold: 'bold', italic: 'italic', strike: 'strike', code: 'code' } as const;
    for (const [kind, node] of Object.entries(kinds)) {
      const { text } = applyMark('a b c', 2, 3, kind as MarkKind);
      const [block] = parseFormatted(text);
      expect(block?.kind === 'paragraph' && block.children[1]?.kind).toBe(node);
    }
    expect(parseFormatted(applyMark('x\n  y', 0, 5, 'codeBlock').text)).toEqual([{ kind: 'code', language: null, text: 'x\n  y' }]);
  });
});
