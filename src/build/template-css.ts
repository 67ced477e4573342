/**
 * Build plugin that minifies the CSS written in Lit's css`…` templates: comments go, and
 * whitespace shrinks to what CSS needs. Interpolations (`${tokens}`) stay as they are, and
 * the text on either side of one keeps a space where it had one, since a selector or value
 * may continue across it. Quoted strings (`content: '…'`) are left alone.
 */
import MagicString from 'magic-string';
import type { Plugin } from 'vite';

export function templateCss(): Plugin {
  return {
    name: 'im-chat-template-css',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/ui\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      const output = new MagicString(code);
      for (const { start, end, afterExpression, beforeExpression } of cssTemplateTexts(code)) {
        const text = code.slice(start, end);
        const minified = minifyCss(text, { afterExpression, beforeExpression });
        if (minified !== text) {
          if (minified === '') output.remove(start, end);
          else output.overwrite(start, end, minified);
        }
      }
      return output.hasChanged() ? { code: output.toString(), map: output.generateMap({ hires: true }) } : null;
    },
  };
}

/** One run of literal text in a css`…` template. */
export interface TemplateText {
  start: number;
  end: number;
  /** The text follows an interpolation (it is not the template's first). */
  afterExpression: boolean;
  /** An interpolation follows the text (it is not the template's last). */
  beforeExpression: boolean;
}

/** The literal texts of every css`…` template in `code` (JavaScript or TypeScript source). */
export function cssTemplateTexts(code: string): TemplateText[] {
  const texts: TemplateText[] = [];
  for (const match of code.matchAll(/(?<![\w$.])css`/g)) {
    let position = match.index + match[0].length;
    let start = position;
    let afterExpression = false;
    for (;;) {
      const char = code[position];
      if (char === undefined) return texts; // unterminated: leave the file alone from here
      if (char === '\\') {
        position += 2;
      } else if (char === '`') {
        texts.push({ start, end: position, afterExpression, beforeExpression: false });
        break;
      } else if (char === '$' && code[position + 1] === '{') {
        texts.push({ start, end: position, afterExpression, beforeExpression: true });
        position = skipExpression(code, position + 2);
        start = position;
        afterExpression = true;
      } else {
        position++;
      }
    }
  }
  return texts;
}

/** The position after the `}` that closes an interpolation starting at `position`. */
function skipExpression(code: string, position: number): number {
  let depth = 1;
  while (position < code.length) {
    const char = code[position]!;
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return position + 1;
    else if (char === "'" || char === '"') position = skipQuoted(code, position);
    else if (char === '`') position = skipNestedTemplate(code, position);
    position++;
  }
  return position;
}

/** The position of the quote that closes the string opened at `position`. */
function skipQuoted(code: string, position: number): number {
  const quote = code[position];
  for (position++; position < code.length && code[position] !== quote; position++) {
    if (code[position] === '\\') position++;
  }
  return position;
}

/** The position of the backtick that closes the template opened at `position`. */
function skipNestedTemplate(code: string, position: number): number {
  for (position++; position < code.length && code[position] !== '`'; position++) {
    if (code[position] === '\\') position++;
    else if (code[position] === '$' && code[position + 1] === '{') position = skipExpression(code, position + 2) - 1;
  }
  return position;
}

/** Characters around which CSS needs no whitespace. */
const tight = new Set(['{', '}', ';', ',']);

/**
 * CSS text without comments, with each run of whitespace made one space and none beside
 * `{ } ; ,`, after a `:` or before a `}`'s last `;`. Escapes (`\\2022`) and quoted
 * strings are kept whole.
 */
export function minifyCss(text: string, edges: { afterExpression: boolean; beforeExpression: boolean }): string {
  let out = '';
  let pendingSpace = false;
  let position = 0;
  const push = (token: string) => {
    const last = out.at(-1);
    if (pendingSpace && out !== '' && !tight.has(token[0]!) && last !== undefined && !tight.has(last) && last !== ':') {
      out += ' ';
    }
    pendingSpace = false;
    if (token === '}' && out.endsWith(';')) out = out.slice(0, -1);
    out += token;
  };
  while (position < text.length) {
    const char = text[position]!;
    if (char === '/' && text[position + 1] === '*') {
      const close = text.indexOf('*/', position + 2);
      position = close === -1 ? text.length : close + 2;
      pendingSpace = true;
    } else if (/\s/.test(char)) {
      pendingSpace = true;
      position++;
    } else if (char === "'" || char === '"') {
      const close = skipQuoted(text, position);
      push(text.slice(position, close + 1));
      position = close + 1;
    } else if (char === '\\') {
      push(text.slice(position, position + 2));
      position += 2;
    } else {
      push(char);
      position++;
    }
  }
  // Next to an interpolation a space may separate two parts of a selector or value.
  if (out === '') return /\s/.test(text) && (edges.afterExpression || edges.beforeExpression) ? ' ' : '';
  if (edges.afterExpression && /^\s/.test(text) && out !== '' && !tight.has(out[0]!)) out = ` ${out}`;
  if (edges.beforeExpression && pendingSpace && !tight.has(out.at(-1)!) && !out.endsWith(':')) out += ' ';
  return out;
}
