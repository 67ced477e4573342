import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { imElement } from '../registry.js';

/** Dark modules of a QR code, row by row. */
type ModuleMatrix = readonly (readonly boolean[])[];

/**
 * A QR code of a text (an invite link), drawn as one SVG path from the encoder's module
 * matrix. The encoder is loaded on first use, so pages that never show a code never load it.
 *
 * @summary QR code of a link.
 * @example
 * <im-qr-code value="https://example.com/chat?im-join=…" label="QR code of the invite link"></im-qr-code>
 * @csspart code - The SVG drawing.
 * @cssprop --im-qr-size - Width and height of the code (default 192px).
 */
@imElement('im-qr-code')
export class ImQrCode extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      /* Scanners need dark on light, whatever the theme. */
      background: #fff;
      color: #000;
      line-height: 0;
      /* Its place is kept while the encoder loads, so that scrolling to it lands right. */
      min-width: var(--im-qr-size, 192px);
      min-height: var(--im-qr-size, 192px);
    }
    svg {
      width: var(--im-qr-size, 192px);
      height: var(--im-qr-size, 192px);
    }
  `;

  /** The text to encode. */
  @property() value = '';
  /** What the code is, for assistive technology. */
  @property() label = '';

  @state() private modules: ModuleMatrix | null = null;
  #encoding = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value')) void this.#encode(this.value);
  }

  protected override render() {
    const modules = this.modules;
    if (!modules) return nothing;
    const size = modules.length;
    return html`<svg part="code" role="img" aria-label=${this.label} viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">
      ${svg`<path fill="currentColor" d=${pathOf(modules)}></path>`}
    </svg>`;
  }

  async #encode(value: string): Promise<void> {
    const id = ++this.#encoding;
    if (!value) {
      this.modules = null;
      return;
    }
    const { encode } = await import('uqr');
    // A border of four modules: the quiet zone scanners look for.
    if (id === this.#encoding) this.modules = encode(value, { ecc: 'M', border: 4 }).data;
  }
}

/** One 1×1 square per dark module, as path commands. */
function pathOf(modules: ModuleMatrix): string {
  const parts: string[] = [];
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    }),
  );
  return parts.join('');
}

declare global {
  interface HTMLElementTagNameMap {
    'im-qr-code': ImQrCode;
  }
}
