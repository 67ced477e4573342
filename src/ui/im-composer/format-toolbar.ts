import { html, nothing } from 'lit';
import type { Translator } from '../i18n/index.js';
import type { MarkKind } from './marks.js';

interface Button {
  kind: MarkKind;
  label: 'format.bold' | 'format.italic' | 'format.strike' | 'format.code' | 'format.codeBlock' | 'format.quote' | 'format.list';
  glyph: string;
  /** For `aria-keyshortcuts`, with Control (Meta on Apple keyboards). */
  keys?: string;
}

const buttons: readonly Button[] = [
  { kind: 'bold', label: 'format.bold', glyph: 'B', keys: 'B' },
  { kind: 'italic', label: 'format.italic', glyph: 'I', keys: 'I' },
  { kind: 'strike', label: 'format.strike', glyph: 'S', keys: 'Shift+X' },
  { kind: 'code', label: 'format.code', glyph: '</>', keys: 'E' },
  { kind: 'codeBlock', label: 'format.codeBlock', glyph: '{ }' },
  { kind: 'quote', label: 'format.quote', glyph: '❝' },
  { kind: 'list', label: 'format.list', glyph: '•' },
];

const apple = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The row of formatting buttons above the text area. A button keeps the focus in the text
 * area (pointerdown does not take it), so that the selection it formats stays visible.
 */
export function renderFormatToolbar(t: Translator, apply: (kind: MarkKind) => void) {
  return html`<div class="format-toolbar" role="group" part="format-toolbar" aria-label=${t.t('format.toolbar')} aria-controls="input">
    ${buttons.map(({ kind, label, glyph, keys }) => {
      const shortcut = keys ? `${apple ? '⌘' : 'Ctrl+'}${keys}` : '';
      return html`<button
        type="button"
        class="format ${kind}"
        aria-label=${t.t(label)}
        title=${shortcut ? `${t.t(label)} (${shortcut})` : t.t(label)}
        aria-keyshortcuts=${keys ? `Control+${keys} Meta+${keys}` : nothing}
        @pointerdown=${(event: PointerEvent) => event.preventDefault()}
        @click=${() => apply(kind)}
      >
        <span aria-hidden="true">${glyph}</span>
      </button>`;
    })}
  </div>`;
}

/** The mark a shortcut applies: Ctrl/⌘+B, I, E, Shift+X, Shift+C; null for other keys. */
export function markOfShortcut(event: KeyboardEvent): MarkKind | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.isComposing) return null;
  // The letter typed, or the key's place where the layout types no Latin letter.
  const letter = /^[a-z]$/i.test(event.key) ? event.key.toLowerCase() : event.code.replace(/^Key/, '').toLowerCase();
  if (!event.shiftKey) return letter === 'b' ? 'bold' : letter === 'i' ? 'italic' : letter === 'e' ? 'code' : null;
  return letter === 'x' ? 'strike' : letter === 'c' ? 'code' : null;
}
