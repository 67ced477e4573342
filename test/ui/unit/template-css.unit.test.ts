import { describe, expect, it } from 'vitest';
import { templateCss } from '../../../src/build/template-css.js';

/** The module as the build ships it: its css`…` templates minified. */
async function build(code: string, id = '/repo/src/ui/im-example/im-example.styles.ts'): Promise<string> {
  const plugin = templateCss();
  const transform = plugin.transform as (code: string, id: string) => Promise<{ code: string } | null>;
  return (await transform.call({}, code, id))?.code ?? code;
}

describe('the CSS of the elements’ templates, minified at build', () => {
  it('drops comments and the whitespace CSS does not need, keeping every rule', async () => {
    const code = `export const styles = css\`
      /* The list scrolls on its own. */
      :host { display: block; }
      .item , .item > .name { margin: 0 4px ; }
      @media (min-width: 768px) { .panes { display: flex } }
    \`;`;
    expect(await build(code)).toBe(
      'export const styles = css`:host{display:block}.item,.item>.name{margin:0 4px}@media (width>=768px){.panes{display:flex}}`;',
    );
  });

  it('leaves quoted strings whole', async () => {
    const minified = await build("export const styles = css`.a::before { content: '  ;  }  '; }`;");
    expect(minified).toMatch(/content:(['"]) {2}; {2}\} {2}\1/);
  });

  it('keeps interpolations where they were, with a value continuing across them', async () => {
    const code = 'export const styles = css`\n  .a { border: ${width}px solid ${color}; }\n  ${tokens}\n  .b { color: red; }\n`;';
    const minified = await build(code);
    expect(minified).toMatch(/^export const styles = css`\.a\{border:\$\{width\}px solid \$\{color\}\}\$\{tokens\} \.b\{color: ?red;?\}`;$/);
  });

  it('leaves HTML templates and modules outside the widget as written', async () => {
    const html = 'const view = html`<p>  two  spaces  </p>`; const styles = css`.a { color: red; }`;';
    expect(await build(html)).toBe('const view = html`<p>  two  spaces  </p>`; const styles = css`.a{color:red}`;');
    const server = 'const styles = css`.a { color: red; }`;';
    expect(await build(server, '/repo/src/server/page.ts')).toBe(server);
  });
});
