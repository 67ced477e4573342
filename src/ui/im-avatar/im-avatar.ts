import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { paletteSize, styles } from './im-avatar.styles.js';
import { imElement } from '../registry.js';

/**
 * A person's picture, or their initials on a colour derived from their id.
 * Decorative: the name is always given as text next to it.
 *
 * @summary Avatar with an initials fallback.
 * @csspart image - The picture.
 * @csspart initials - The initials fallback.
 * @csspart online - The dot on the avatar of someone who is online.
 * @cssprop --im-avatar-size - Width and height (default 40px).
 * @cssprop --im-color-online - Colour of the online dot.
 */
@imElement('im-avatar')
export class ImAvatar extends LitElement {
  static override styles = styles;

  @property() name = '';
  @property({ attribute: 'user-id' }) userId = '';
  @property() src: string | null = null;
  /** Shows the online dot; `onlineLabel` is what it says to screen readers. */
  @property({ type: Boolean }) online = false;
  @property({ attribute: 'online-label' }) onlineLabel = '';
  @state() private failed = false;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('src')) this.failed = false;
  }

  protected override render() {
    return html`${this.#picture()}${this.online
      ? html`<span part="online" class="online" role="img" aria-label=${this.onlineLabel || nothing}></span>`
      : nothing}`;
  }

  #picture() {
    if (this.src && !this.failed && /^https?:/i.test(this.src)) {
      return html`<img
        part="image"
        src=${this.src}
        alt=""
        referrerpolicy="no-referrer"
        @error=${() => (this.failed = true)}
      />`;
    }
    return html`<span part="initials" class="initials color-${colorIndex(this.userId || this.name)}"
      >${initials(this.name) || nothing}</span
    >`;
  }
}

function initials(name: string): string {
  // Only letters and digits make initials: "Visitor #12" is "V1", not "V#".
  const words = name
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  if (words.length === 0) return '';
  // CJK names read best as their first character; others as up to two initials.
  const first = [...words[0]!][0] ?? '';
  if (/\p{Script=Han}/u.test(first)) return first;
  const second = words.length > 1 ? ([...words.at(-1)!][0] ?? '') : '';
  return (first + second).toUpperCase();
}

function colorIndex(seed: string): number {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return hash % paletteSize;
}

declare global {
  interface HTMLElementTagNameMap {
    'im-avatar': ImAvatar;
  }
}
