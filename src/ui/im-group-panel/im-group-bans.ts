import { nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { GroupBan, GroupConversation, User } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import { ActionTracker, codeOf, errorNote } from './actions.js';
import { personRow, personRowStyles } from './person-row.js';
import { partStyles } from './im-group-panel.styles.js';
import { canManage } from './rules.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/**
 * The people banned from a group (owner and admins): links and adds refuse them until
 * an owner or admin lifts the ban here. Hidden while nobody is banned.
 *
 * @summary Banned people of the group panel.
 */
@imElement('im-group-bans')
export class ImGroupBans extends ImElement {
  static override styles = [partStyles, personRowStyles];

  @property({ attribute: false }) conversation?: GroupConversation;

  @state() private bans: GroupBan[] = [];
  @state() private users = new Map<string, User>();
  @state() private loadError: string | null = null;

  #actions = new ActionTracker(this);
  #loadId = 0;

  /** Reads the list again (a ban was made elsewhere in the panel). */
  refresh(): void {
    void this.#load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('conversation') as GroupConversation | undefined;
    const group = this.conversation;
    if (changed.has('conversation') && group && canManage(group) && previous?.id !== group.id) void this.#load();
  }

  protected override updated(): void {
    const group = this.conversation;
    this.hidden = !group || !canManage(group) || (this.bans.length === 0 && !this.loadError);
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group || !canManage(group)) return nothing;
    return html`<section aria-labelledby="bans-title">
      <h3 id="bans-title" aria-level=${this.headingLevel(1)}>${t.t('groupPanel.bans')}</h3>
      ${errorNote(t, this.loadError ?? undefined)}
      <ul>
        ${this.bans.map((ban) => this.#renderBan(ban, t))}
      </ul>
    </section>`;
  }

  #renderBan(ban: GroupBan, t: Translator) {
    const key = `lift:${ban.userId}`;
    return personRow(t, {
      userId: ban.userId,
      user: this.users.get(ban.userId),
      detail: t.t('groupPanel.bannedAt', { time: t.listTime(ban.bannedAt) }),
      error: this.#actions.error(key),
      actions: (name) => html`<button
        type="button"
        class="button lift-ban"
        aria-label=${t.t('groupPanel.liftBanName', { name })}
        ?disabled=${this.#actions.busy(key)}
        @click=${() => void this.#lift(ban)}
      >
        ${t.t('groupPanel.liftBan')}
      </button>`,
    });
  }

  async #load(): Promise<void> {
    const group = this.conversation;
    const blocks = this.client?.blocks;
    if (!group || !blocks) return;
    const id = ++this.#loadId;
    try {
      const { bans, users } = await blocks.bans(group.id);
      if (id !== this.#loadId) return;
      this.users = new Map(users.map((user) => [user.id, user]));
      this.bans = bans;
      this.loadError = null;
    } catch (error) {
      if (id === this.#loadId) this.loadError = codeOf(error);
    }
  }

  async #lift(ban: GroupBan): Promise<void> {
    const group = this.conversation;
    const blocks = this.client?.blocks;
    if (!group || !blocks) return;
    if (await this.#actions.run(`lift:${ban.userId}`, () => blocks.liftBan(group.id, ban.userId))) {
      this.bans = this.bans.filter((other) => other.userId !== ban.userId);
      void this.#load();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-bans': ImGroupBans;
  }
}
