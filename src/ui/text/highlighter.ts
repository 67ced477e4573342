/**
 * Syntax highlighting of code blocks, in a chunk of its own that loads with the first code
 * block shown: refractor (Prism's grammars, as ES modules and without globals) gives a tree
 * of tokens, never HTML.
 */
import type { ElementContent, RootContent } from 'hast';
import bash from 'refractor/bash';
import c from 'refractor/c';
import cpp from 'refractor/cpp';
import { refractor } from 'refractor/core';
import csharp from 'refractor/csharp';
import css from 'refractor/css';
import diff from 'refractor/diff';
import go from 'refractor/go';
import java from 'refractor/java';
import javascript from 'refractor/javascript';
import json from 'refractor/json';
import kotlin from 'refractor/kotlin';
import markdown from 'refractor/markdown';
import markup from 'refractor/markup';
import php from 'refractor/php';
import python from 'refractor/python';
import ruby from 'refractor/ruby';
import rust from 'refractor/rust';
import sql from 'refractor/sql';
import swift from 'refractor/swift';
import typescript from 'refractor/typescript';
import yaml from 'refractor/yaml';

// The languages people paste most in chats (each brings the ones it builds on, and its
// aliases: `js`, `ts`, `py`, `sh`, `html`, `xml`, `cs`, `rb`, `yml`, `md`…).
for (const language of [markup, css, javascript, typescript, json, bash, python, java, c, cpp, csharp, go, rust, kotlin, swift, php, ruby, sql, yaml, diff, markdown]) {
  refractor.register(language);
}

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
