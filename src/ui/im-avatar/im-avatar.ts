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
    const letters = initials(this.name);
    return html`<span
      part="initials"
      class="initials color-${avatarColorIndex(this.userId || this.name)} ${letters.length > 2 ? 'long' : ''}"
      >${letters || nothing}</span
    >`;
  }
}

export function initials(name: string): string {
  // Only letters and digits make initials: "Ann-Marie O'Neil" is "AO".
  const words = name
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  if (words.length === 0) return '';
  // CJK names read best as their first character; others as up to two initials.
  const first = [...words[0]!][0] ?? '';
  if (/\p{Script=Han}/u.test(first)) return first;
  // A numbered name ("Visitor #12") keeps its whole number, or visitors 1, 11 and 12 would
  // all be "V1": "V12", or the number alone once it is long.
  const number = words.length > 1 && /^\p{N}+$/u.test(words.at(-1)!) ? words.at(-1)! : null;
  if (number) return number.length < 3 ? `${first.toUpperCase()}${number}` : number.slice(-4);
  const second = words.length > 1 ? ([...words.at(-1)!][0] ?? '') : '';
  return (first + second).toUpperCase();
}

/**
 * The one place a colour is picked for someone (or a group) without a picture: from their
 * id, so that a person has the same colour in every list, header and picker.
 */
export function avatarColorIndex(seed: string): number {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return hash % paletteSize;
}

declare global {
  interface HTMLElementTagNameMap {
    'im-avatar': ImAvatar;
  }
}
