import { css, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ChatClient } from '../../client/index.js';
import { limits, type GroupConversation, type Invite } from '../../protocol/index.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import { ActionTracker, codeOf, errorNote } from './actions.js';
import './im-group-confirm.js';
import type { ImGroupConfirm } from './im-group-confirm.js';
import { partStyles } from './im-group-panel.styles.js';
import '../im-qr-code/im-qr-code.js';
import { canManage } from './rules.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';

const hour = 3_600_000;
const expiries: ReadonlyArray<{ value: string; ms: number | null; label: MessageKey }> = [
  { value: 'never', ms: null, label: 'groupPanel.expiry.never' },
  { value: 'hour', ms: hour, label: 'groupPanel.expiry.hour' },
  { value: 'day', ms: 24 * hour, label: 'groupPanel.expiry.day' },
  { value: 'week', ms: 7 * 24 * hour, label: 'groupPanel.expiry.week' },
];

/** How long "Copied" stays. */
const copiedMs = 2_000;

/**
 * A group's invite links (owner and admins): create one with an optional expiry and
 * number of uses, see the usable ones with their use counts, copy, share (where the
 * browser can), show as a QR code, or revoke them. A link is the `inviteUrl` setting (by
 * default the host page's address without its query and fragment, which may carry the
 * user's own state) with the invite code in the `joinParam` query parameter: it carries
 * the invitation and nothing of who made it.
 *
 * @summary Invite links of the group panel.
 */
@imElement('im-group-invites')
export class ImGroupInvites extends ImElement {
  static override styles = [
    partStyles,
    css`
      .create {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0 12px;
        align-items: start;
      }
      .create .field {
        margin-bottom: 8px;
      }
      .create .span {
        grid-column: 1 / -1;
      }
      .links {
        margin: 8px 0 0;
        padding: 0;
        list-style: none;
      }
      .links li {
        padding: 10px 0;
        border-top: 1px solid var(--im-color-border);
      }
      .links input {
        font-family: ui-monospace, monospace;
        font-size: 0.85em;
      }
      .links .actions {
        margin-top: 6px;
      }
      .copy-status:empty {
        display: none;
      }
      im-qr-code {
        display: block;
        width: fit-content;
        margin-top: 8px;
        padding: 4px;
        border-radius: var(--im-radius-small, 4px);
      }
    `,
  ];

  @property({ attribute: false }) conversation?: GroupConversation;

  /** The query parameter that carries the invite code in a shareable link. */
  @property({ attribute: false }) joinParam = 'im-join';

  @state() private invites: Invite[] = [];
  @state() private loadError: string | null = null;
  @state() private expiry = 'never';
  @state() private maxUses = '';
  @state() private maxUsesInvalid = false;
  /** The code whose link was just copied, or could not be (then its text is selected). */
  @state() private copy: { code: string; ok: boolean } | null = null;
  /** The code whose QR code is shown. */
  @state() private qrCode: string | null = null;
  @query(tag('im-group-confirm')) private confirmDialog!: ImGroupConfirm;

  #actions = new ActionTracker(this);
  #unsubscribe: (() => void) | null = null;
  #subscribedTo: ChatClient | null = null;
  #loadId = 0;
  /** The latest load of the links, settled or not. */
  #loaded: Promise<void> = Promise.resolve();
  #copyTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Scrolls the links into view and focuses the first link's Copy, or Create link while
   * there is none (once the links have loaded).
   */
  async reveal(): Promise<void> {
    await this.#loaded;
    await this.updateComplete;
    const target =
      this.renderRoot.querySelector<HTMLElement>('.links .copy') ??
      this.renderRoot.querySelector<HTMLElement>('.create-link');
    this.renderRoot.querySelector('section')?.scrollIntoView({ block: 'start' });
    target?.focus({ preventScroll: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#copyTimer);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#subscribedTo = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const group = this.conversation;
    const manages = !!group && canManage(group);
    const client = manages ? (this.client ?? null) : null;
    if (this.#subscribedTo !== client) {
      this.#unsubscribe?.();
      this.#subscribedTo = client;
      // A request uses a link too: its count moves.
      this.#unsubscribe =
        client?.on('join-request', (request) => {
          if (request.conversationId === this.conversation?.id) void this.#load();
        }) ?? null;
      if (client) this.#loaded = this.#load();
    } else if (changed.has('conversation') && manages) {
      const previous = changed.get('conversation') as GroupConversation | undefined;
      // Someone joined (perhaps with a link), or this is another group.
      if (previous?.id !== group.id || previous.memberCount !== group.memberCount) void this.#load();
    }
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group || !canManage(group)) return nothing;
    const creating = this.#actions.busy('create');
    const dates = new Intl.DateTimeFormat(t.lang, { dateStyle: 'medium', timeStyle: 'short' });
    return html`<section aria-labelledby="links-title">
        <h3 id="links-title" aria-level=${this.headingLevel(1)}>${t.t('groupPanel.inviteLinks')}</h3>
        ${group.joinPolicy === 'closed' ? html`<p class="note">${t.t('groupPanel.linksClosedNote')}</p>` : nothing}
        <form class="create" novalidate @submit=${this.#create}>
          <div class="field">
            <label for="expiry">${t.t('groupPanel.expiry')}</label>
            <select id="expiry" .value=${this.expiry} @change=${this.#onExpiry}>
              ${expiries.map(
                ({ value, label }) => html`<option value=${value} ?selected=${value === this.expiry}>${t.t(label)}</option>`,
              )}
            </select>
          </div>
          <div class="field">
            <label for="max-uses">${t.t('groupPanel.maxUses')}</label>
            <input
              id="max-uses"
              type="number"
              inputmode="numeric"
              min="1"
              max=${limits.inviteUsesMax}
              .value=${this.maxUses}
              aria-invalid=${this.maxUsesInvalid ? 'true' : 'false'}
              aria-describedby=${this.maxUsesInvalid ? 'max-uses-hint max-uses-problem' : 'max-uses-hint'}
              @input=${this.#onMaxUses}
            />
          </div>
          <p class="note span" id="max-uses-hint">${t.t('groupPanel.maxUsesHint')}</p>
          ${this.maxUsesInvalid
            ? html`<p class="error span" id="max-uses-problem">
                ${t.t('groupPanel.maxUsesInvalid', { max: limits.inviteUsesMax })}
              </p>`
            : nothing}
          <div class="actions span">
            <button type="submit" class="button primary create-link" ?disabled=${creating}>
              ${t.t('groupPanel.createLink')}
            </button>
          </div>
          <div class="span">${errorNote(t, this.#actions.error('create'))}</div>
        </form>
        ${errorNote(t, this.loadError ?? undefined)}
        ${this.invites.length === 0 && !this.loadError ? html`<p class="note no-links">${t.t('groupPanel.noLinks')}</p>` : nothing}
        <ul class="links" aria-labelledby="links-title">
          ${this.invites.map((invite, index) => this.#renderInvite(invite, index, t, dates))}
        </ul>
      </section>
      <im-group-confirm></im-group-confirm>`;
  }

  #renderInvite(invite: Invite, index: number, t: Translator, dates: Intl.DateTimeFormat) {
    const revoking = this.#actions.busy(`revoke:${invite.code}`);
    const copy = this.copy?.code === invite.code ? this.copy : null;
    return html`<li data-code=${invite.code}>
      <label class="visually-hidden" for="link-${index}">${t.t('groupPanel.link')}</label>
      <input
        id="link-${index}"
        class="link"
        type="text"
        readonly
        .value=${this.#linkFor(invite.code)}
        aria-describedby=${ifDefined(copy && !copy.ok ? `copy-${index}` : undefined)}
      />
      <p class="note meta">
        <span class="uses"
          >${invite.maxUses === null
            ? t.t('groupPanel.uses', { count: invite.uses })
            : t.t('groupPanel.usesOf', { count: invite.uses, max: invite.maxUses })}</span
        >
        ·
        <span class="expires"
          >${invite.expiresAt === null
            ? t.t('groupPanel.neverExpires')
            : t.t('groupPanel.expiresAt', { date: dates.format(invite.expiresAt) })}</span
        >
      </p>
      <div class="actions">
        <button type="button" class="button copy" @click=${() => this.#copy(invite.code, index)}>
          ${t.t('groupPanel.copy')}
        </button>
        ${typeof navigator.share === 'function'
          ? html`<button type="button" class="button share" @click=${() => this.#share(invite.code)}>
              ${t.t('groupPanel.share')}
            </button>`
          : nothing}
        <button
          type="button"
          class="button qr"
          aria-expanded=${this.qrCode === invite.code ? 'true' : 'false'}
          aria-controls="qr-${index}"
          @click=${() => this.#toggleQrCode(invite.code, index)}
        >
          ${t.t('groupPanel.qrCode')}
        </button>
        <button type="button" class="button danger revoke" ?disabled=${revoking} @click=${() => this.#revoke(invite)}>
          ${t.t('groupPanel.revoke')}
        </button>
      </div>
      <p class="note copy-status" role="status" id="copy-${index}">${copy
        ? copy.ok
          ? t.t('groupPanel.copied')
          : t.t('groupPanel.copyByHand')
        : nothing}</p>
      ${this.qrCode === invite.code
        ? html`<im-qr-code
            id="qr-${index}"
            .value=${this.#linkFor(invite.code)}
            label=${t.t('groupPanel.qrLabel', { name: this.conversation?.name ?? '' })}
          ></im-qr-code>`
        : nothing}
      ${errorNote(t, this.#actions.error(`revoke:${invite.code}`))}
    </li>`;
  }

  #linkFor(code: string): string {
    return inviteLink(this.settings?.inviteUrl ?? '', this.joinParam, code);
  }

  async #toggleQrCode(code: string, index: number): Promise<void> {
    this.qrCode = this.qrCode === code ? null : code;
    if (this.qrCode === null) return;
    await this.updateComplete;
    this.renderRoot.querySelector(`#qr-${index}`)?.scrollIntoView({ block: 'nearest' });
  }

  async #share(code: string): Promise<void> {
    const t = this.translator!;
    try {
      await navigator.share({ title: t.t('groupPanel.shareTitle', { name: this.conversation?.name ?? '' }), url: this.#linkFor(code) });
    } catch {
      // Dismissed, or the browser refused: Copy is right beside it.
    }
  }

  async #load(): Promise<void> {
    const group = this.conversation;
    const groups = this.client?.groups;
    if (!group || !groups) return;
    const id = ++this.#loadId;
    try {
      const invites = await groups.listInvites(group.id);
      if (id !== this.#loadId) return;
      this.invites = invites;
      this.loadError = null;
    } catch (error) {
      if (id === this.#loadId) this.loadError = codeOf(error);
    }
  }

  #onExpiry(event: Event): void {
    this.expiry = (event.target as HTMLSelectElement).value;
  }

  #onMaxUses(event: Event): void {
    this.maxUses = (event.target as HTMLInputElement).value;
    this.maxUsesInvalid = false;
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const group = this.conversation;
    const groups = this.client?.groups;
    if (!group || !groups) return;
    const text = this.maxUses.trim();
    const maxUses = text === '' ? null : Number(text);
    if (maxUses !== null && !(Number.isInteger(maxUses) && maxUses >= 1 && maxUses <= limits.inviteUsesMax)) {
      this.maxUsesInvalid = true;
      this.renderRoot.querySelector<HTMLInputElement>('#max-uses')?.focus();
      return;
    }
    const duration = expiries.find((expiry) => expiry.value === this.expiry)?.ms ?? null;
    const expiresAt = duration === null ? null : Date.now() + duration;
    let created: Invite | undefined;
    const ok = await this.#actions.run('create', async () => {
      created = await groups.createInvite(group.id, { expiresAt, maxUses });
    });
    if (!ok || !created) return;
    const code = created.code;
    this.invites = [created, ...this.invites.filter((invite) => invite.code !== code)];
    this.maxUses = '';
    this.expiry = 'never';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`li[data-code="${CSS.escape(code)}"] .copy`)?.focus();
    void this.#load();
  }

  async #copy(code: string, index: number): Promise<void> {
    clearTimeout(this.#copyTimer);
    try {
      await navigator.clipboard.writeText(this.#linkFor(code));
      this.copy = { code, ok: true };
      this.#copyTimer = setTimeout(() => (this.copy = null), copiedMs);
    } catch {
      // Refused (permissions, an insecure page, no focus): let the person copy it themselves.
      this.copy = { code, ok: false };
      await this.updateComplete;
      const input = this.renderRoot.querySelector<HTMLInputElement>(`#link-${index}`);
      input?.focus();
      input?.select();
    }
  }

  async #revoke(invite: Invite): Promise<void> {
    const t = this.translator!;
    const groups = this.client?.groups;
    if (!groups) return;
    const confirmed = await this.confirmDialog.ask({
      message: t.t('groupPanel.confirmRevoke'),
      confirm: t.t('groupPanel.revoke'),
    });
    if (!confirmed) return;
    const ok = await this.#actions.run(`revoke:${invite.code}`, () =>
      groups.revokeInvite(invite.conversationId, invite.code),
    );
    if (!ok) return;
    this.invites = this.invites.filter((item) => item.code !== invite.code);
    void this.#load();
  }
}

/**
 * An invite link: `base` (this page's address without its query and fragment when empty)
 * with the code in the `joinParam` query parameter.
 */
export function inviteLink(base: string, joinParam: string, code: string): string {
  const url = new URL(base || location.pathname, location.href);
  if (!base) url.search = '';
  url.hash = '';
  url.searchParams.set(joinParam, code);
  return url.href;
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-invites': ImGroupInvites;
  }
}
