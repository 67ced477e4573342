/**
 * Build plugin that minifies the CSS written in Lit's css`…` templates of the widget
 * (minify-literals: the templates found by parsing the module, their CSS minified by
 * Lightning CSS with the interpolations kept in place). HTML templates are left as
 * written: their whitespace can be content.
 */
import { minifyHTMLLiterals } from 'minify-literals';
import type { Plugin } from 'vite';

export function templateCss(): Plugin {
  return {
    name: 'im-chat-template-css',
    apply: 'build',
    async transform(code, id) {
      if (!/\/src\/ui\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      const minified = await minifyHTMLLiterals(code, { fileName: id, html: false, cssTags: ['css'] });
      return minified && { code: minified.code, map: minified.map?.toString() };
    },
  };
}
