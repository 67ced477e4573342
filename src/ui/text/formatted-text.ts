import { html, nothing, type TemplateResult } from 'lit';
import { parseFormatted, type Block, type Inline } from '../../protocol/formatting.js';
import { highlighted } from './code-highlight.js';

type Rendered = string | TemplateResult;

/**
 * A text message's marks as Lit nodes (the protocol's "Formatted text"): the author's text
 * is only ever text in them, never markup. Links are made from http(s) and mailto
 * addresses; they and the code blocks leave the Tab order when the message is not
 * `tabbable` (a list that is one Tab stop). One paragraph renders as bare runs, as a text
 * without marks always did.
 */
export function formattedText(text: string, { tabbable = true }: { tabbable?: boolean } = {}): Rendered[] {
  const blocks = parseFormatted(text);
  const only = blocks[0];
  if (blocks.length === 1 && only?.kind === 'paragraph') return runs(only.children, tabbable);
  return blocks.map((block) => renderBlock(block, tabbable));
}

function renderBlock(block: Block, tabbable: boolean): TemplateResult {
  switch (block.kind) {
    case 'paragraph':
      return html`<div class="paragraph">${runs(block.children, tabbable)}</div>`;
    case 'quote':
      return html`<blockquote part="text-quote">${runs(block.children, tabbable)}</blockquote>`;
    case 'list': {
      const items = block.items.map((item) => html`<li>${runs(item, tabbable)}</li>`);
      return block.ordered
        ? html`<ol part="text-list" start=${block.start === 1 ? nothing : block.start}>${items}</ol>`
        : html`<ul part="text-list">${items}</ul>`;
    }
    case 'code':
      // A scrolling region: reachable by keyboard where the message is, left to right whatever the language.
      return html`<pre part="code-block" class="code-block" dir="ltr" tabindex=${tabbable ? 0 : -1} data-language=${block.language ?? nothing}><code
        >${highlighted(block.text, block.language)}</code
      ></pre>`;
  }
}

function runs(inlines: readonly Inline[], tabbable: boolean): Rendered[] {
  return inlines.map((run) => renderRun(run, tabbable));
}

function renderRun(run: Inline, tabbable: boolean): Rendered {
  switch (run.kind) {
    case 'text':
      return run.text;
    case 'link':
      return html`<a href=${run.href} target="_blank" rel="noopener noreferrer nofollow ugc" part="link" tabindex=${tabbable ? nothing : -1}
        >${run.text}</a
      >`;
    case 'code':
      return html`<code part="code">${run.text}</code>`;
    case 'bold':
      return html`<strong>${runs(run.children, tabbable)}</strong>`;
    case 'italic':
      return html`<em>${runs(run.children, tabbable)}</em>`;
    case 'strike':
      return html`<s>${runs(run.children, tabbable)}</s>`;
  }
}
