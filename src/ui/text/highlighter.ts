/**
 * Syntax highlighting of code blocks, in a chunk of its own that loads with the first code
 * block shown: refractor (Prism's grammars, as ES modules and without globals) gives a tree
 * of tokens, never HTML.
 */
import type { ElementContent, RootContent } from 'hast';
import { refractor } from 'refractor';

/** Text, or a token of one kind (`token keyword`, `token string`…) around more. */
export type CodeToken = string | { scope: string; children: CodeToken[] };

/** Results by language and code, as a scrolled list renders the same blocks again. */
const cache = new Map<string, CodeToken[] | null>();
const cacheSize = 200;

/** The tokens of `code` in `language` (a name or alias Prism knows: `js`, `py`, `sh`…); null for others. */
export function highlight(code: string, language: string | null): CodeToken[] | null {
  if (language === null || !refractor.registered(language)) return null;
  const key = `${language}\n${code}`;
  if (!cache.has(key)) {
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(key, tokensOf(refractor.highlight(code, language).children));
  }
  return cache.get(key)!;
}

function tokensOf(nodes: readonly (ElementContent | RootContent)[]): CodeToken[] {
  const tokens: CodeToken[] = [];
  for (const node of nodes) {
    if (node.type === 'text') tokens.push(node.value);
    else if (node.type === 'element') {
      const classes = node.properties['className'];
      const scope = Array.isArray(classes) ? classes.map(String).filter((name) => /^[a-z][\w-]*$/.test(name)).join(' ') : '';
      tokens.push({ scope, children: tokensOf(node.children) });
    }
  }
  return tokens;
}
