import { describe, expect, it } from 'vitest';
import { parseFormatted, parseInline, plainText, type Inline } from '../../src/protocol/formatting.js';

const text = (value: string): Inline => ({ kind: 'text', text: value });
const bold = (...children: Inline[]): Inline => ({ kind: 'bold', children });
const italic = (...children: Inline[]): Inline => ({ kind: 'italic', children });
const strike = (...children: Inline[]): Inline => ({ kind: 'strike', children });
const code = (value: string): Inline => ({ kind: 'code', text: value });

describe('inline marks', () => {
  it('reads bold, italic (both marks), strike and code', () => {
    expect(parseInline('**a** *b* _c_ ~~d~~ `e`')).toEqual([
      bold(text('a')), text(' '), italic(text('b')), text(' '), italic(text('c')), text(' '), strike(text('d')), text(' '), code('e'),
    ]);
  });

  it('nests marks, and three stars make bold italic', () => {
    expect(parseInline('**bold _and italic_ ~~gone~~**')).toEqual([
      bold(text('bold '), italic(text('and italic')), text(' '), strike(text('gone'))),
    ]);
    expect(parseInline('***both***')).toEqual([bold(italic(text('both')))]);
    expect(parseInline('_**x**_')).toEqual([italic(bold(text('x')))]);
  });

  it('leaves a mark without its twin as typed', () => {
    for (const literal of ['**open', 'close**', '*a', '~~a~', '`a', 'a ** b ** c', 'a * not *', '~~ x~~', '****', '`', '``']) {
      expect(parseInline(literal), literal).toEqual([text(literal)]);
      expect(plainText(literal), literal).toBe(literal);
    }
    expect(parseInline('**a *b**')).toEqual([bold(text('a *b'))]);
    expect(parseInline('2 * 3 * 4 = 24')).toEqual([text('2 * 3 * 4 = 24')]);
  });

  it('marks inside words with stars and tildes, never with underscores', () => {
    expect(parseInline('un**believ**able')).toEqual([text('un'), bold(text('believ')), text('able')]);
    expect(parseInline('snake_case_name and __init__')).toEqual([text('snake_case_name and __init__')]);
    expect(parseInline('ab~~cd~~ef')).toEqual([text('ab'), strike(text('cd')), text('ef')]);
  });

  it('keeps code spans as typed, marks and links included', () => {
    expect(parseInline('`**not bold** https://x.org _y_`')).toEqual([code('**not bold** https://x.org _y_')]);
    expect(parseInline('``a ` b``')).toEqual([code('a ` b')]);
    expect(parseInline('**`x`**')).toEqual([bold(code('x'))]);
    // A code span holds the closing mark that would otherwise end the bold.
    expect(parseInline('**a `b**` c**')).toEqual([bold(text('a '), code('b**'), text(' c'))]);
  });

  it('finds links inside marks, and marks never cut a link', () => {
    expect(parseInline('**see https://example.com/a_b_c**')).toEqual([
      bold(text('see '), { kind: 'link', text: 'https://example.com/a_b_c', href: 'https://example.com/a_b_c' }),
    ]);
    expect(parseInline('_www.example.org_')).toEqual([
      italic({ kind: 'link', text: 'www.example.org', href: 'https://www.example.org/' }),
    ]);
    expect(parseInline('https://example.com/*x*/y')).toEqual([
      { kind: 'link', text: 'https://example.com/*x*/y', href: 'https://example.com/*x*/y' },
    ]);
    expect(parseInline('**javascript:alert(1)**')).toEqual([bold(text('javascript:alert(1)'))]);
  });

  it('keeps mentions whole inside marks', () => {
    expect(parseInline('**@Alice Chen** and _@bob_')).toEqual([bold(text('@Alice Chen')), text(' and '), italic(text('@bob'))]);
  });

  it('never runs a mark across a line break', () => {
    expect(parseInline('**a\nb**')).toEqual([text('**a\nb**')]);
    expect(parseInline('*a*\n*b*')).toEqual([italic(text('a')), text('\n'), italic(text('b'))]);
  });

  it('reads a long hostile line in linear time', () => {
    const hostile = '*a _b ~~c **d [x] '.repeat(300).slice(0, 4000);
    const started = performance.now();
    expect(plainText(hostile)).toBe(hostile);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('blocks', () => {
  it('reads fenced code with its language, keeping every space', () => {
    const source = 'look:\n```ts\nfunction f() {\n\tif (a) {\n    return `x`; // **no**\n  }\n}\n```\nok';
    expect(parseFormatted(source)).toEqual([
      { kind: 'paragraph', children: [text('look:')] },
      { kind: 'code', language: 'ts', text: 'function f() {\n\tif (a) {\n    return `x`; // **no**\n  }\n}' },
      { kind: 'paragraph', children: [text('ok')] },
    ]);
    expect(parseFormatted('```\n  indented\n```')).toEqual([{ kind: 'code', language: null, text: '  indented' }]);
  });

  it('leaves an unclosed fence as typed', () => {
    expect(parseFormatted('```js\nlet a = 1')).toEqual([{ kind: 'paragraph', children: [text('```js\nlet a = 1')] }]);
  });

  it('reads quotes and lists, with marks in them', () => {
    expect(parseFormatted('> first **line**\n> second\nafter')).toEqual([
      { kind: 'quote', children: [text('first '), bold(text('line')), text('\nsecond')] },
      { kind: 'paragraph', children: [text('after')] },
    ]);
    expect(parseFormatted('- one\n* _two_\n3. three\n4) four')).toEqual([
      { kind: 'list', ordered: false, start: 1, items: [[text('one')], [italic(text('two'))]] },
      { kind: 'list', ordered: true, start: 3, items: [[text('three')], [text('four')]] },
    ]);
    // Not a quote or a list: an emoticon, a dash without a space, a number alone.
    expect(parseFormatted('>_<\n-5 degrees\n2024.')).toEqual([{ kind: 'paragraph', children: [text('>_<\n-5 degrees\n2024.')] }]);
  });
});

describe('plain text', () => {
  it('drops the marks and keeps the words, lines and code', () => {
    expect(plainText('**Big** _news_: ~~no~~ `code`')).toBe('Big news: no code');
    expect(plainText('> quoted\n- item\n1. first\n```py\nprint("hi")\n```')).toBe('quoted\n• item\n1. first\nprint("hi")');
  });

  it('leaves text without marks as it was', () => {
    for (const unchanged of ['hello\n\n  world  ', '看这里：https://example.cn/页面。', 'a - b, 3.5 > 2', '']) {
      expect(plainText(unchanged)).toBe(unchanged);
    }
  });
});
