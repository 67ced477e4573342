import { html, type TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { CodeToken } from './highlighter.js';

type Highlight = (code: string, language: string | null) => CodeToken[] | null;

/** The highlighter, once its chunk has loaded; the chunk loads with the first code block shown. */
let highlight: Highlight | undefined;
let loading: Promise<Highlight> | undefined;

function loadHighlighter(): Promise<Highlight> {
  loading ??= import('./highlighter.js').then((module) => (highlight = module.highlight));
  return loading;
}

/** Tokens as Lit spans whose classes name what they are (`token keyword`…); their text stays text. */
function renderTokens(tokens: readonly CodeToken[]): Array<string | TemplateResult> {
  return tokens.map((token) =>
    typeof token === 'string' ? token : html`<span class=${token.scope}>${renderTokens(token.children)}</span>`,
  );
}

class HighlightedDirective extends AsyncDirective {
  render(code: string, language: string | null): Array<string | TemplateResult> | string {
    if (highlight) {
      const tokens = highlight(code, language);
      return tokens ? renderTokens(tokens) : code;
    }
    // Plain until the highlighter is here; then the tokens, if the block is still shown.
    void loadHighlighter().then((loaded) => {
      const tokens = this.isConnected ? loaded(code, language) : null;
      if (tokens) this.setValue(renderTokens(tokens));
    });
    return code;
  }
}

/**
 * A code block's text, highlighted for its language (or the one it looks like) once the
 * highlighter has loaded on demand, plain before and for languages it does not know.
 */
export const highlighted = directive(HighlightedDirective);
