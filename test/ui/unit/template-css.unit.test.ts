import { describe, expect, it } from 'vitest';
import { cssTemplateTexts, minifyCss } from '../../../src/build/template-css.js';

const alone = { afterExpression: false, beforeExpression: false };

/** Each css`…` template of `code` with its texts minified, as the build ships it. */
function minifyTemplates(code: string): string {
  let out = '';
  let position = 0;
  for (const text of cssTemplateTexts(code)) {
    out += code.slice(position, text.start) + minifyCss(code.slice(text.start, text.end), text);
    position = text.end;
  }
  return out + code.slice(position);
}

describe('the CSS of the elements’ templates, minified at build', () => {
  it('drops comments and the whitespace CSS does not need', () => {
    const css = `
      /* The list scrolls on its own. */
      :host { display: block; }
      .item , .item > .name { margin: 0 4px ; padding: calc(1px + 2px); }
      @media (min-width: 768px) { .panes { display: flex } }
    `;
    expect(minifyCss(css, alone)).toBe(
      ':host{display:block}.item,.item > .name{margin:0 4px;padding:calc(1px + 2px)}@media (min-width:768px){.panes{display:flex}}',
    );
  });

  it('keeps descendant selectors of pseudo-classes apart from the selector before them', () => {
    expect(minifyCss('.list :focus-visible { outline: none; }', alone)).toBe('.list :focus-visible{outline:none}');
  });

  it('leaves quoted strings and escapes whole', () => {
    expect(minifyCss(`.a::before { content: '  ;  }  '; } .b::after { content: '\\\\2022'; }`, alone)).toBe(
      `.a::before{content:'  ;  }  '}.b::after{content:'\\\\2022'}`,
    );
  });

  it('keeps a space next to an interpolation, where a value or selector continues across it', () => {
    const code = 'const styles = css`\n  .a { border: ${width}px solid ${color}; }\n  ${tokens}\n  .b { color: red; }\n`;';
    expect(minifyTemplates(code)).toBe('const styles = css`.a{border:${width}px solid ${color}}${tokens} .b{color:red}`;');
  });

  it('finds the end of a template past interpolations that hold braces, strings and templates', () => {
    const code = "css`.a { color: ${dark ? `x${'}'}` : '{'}; }` + unsafeCSS(`  kept  as is  `)";
    expect(minifyTemplates(code)).toBe("css`.a{color:${dark ? `x${'}'}` : '{'}}` + unsafeCSS(`  kept  as is  `)");
  });
});
