import { css, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { GroupConversation, JoinPolicy } from '../../protocol/index.js';
import type { MessageKey } from '../i18n/index.js';
import { ActionTracker, errorNote } from './actions.js';
import { partStyles } from './im-group-panel.styles.js';
import './im-group-invites.js';
import { html, imElement, tag } from '../registry.js';
import { ImElement } from '../base/im-element.js';

const policies: ReadonlyArray<{ value: JoinPolicy; label: MessageKey; hint: MessageKey }> = [
  { value: 'open', label: 'groupPanel.policy.open', hint: 'groupPanel.policy.openHint' },
  { value: 'approval', label: 'groupPanel.policy.approval', hint: 'groupPanel.policy.approvalHint' },
  { value: 'closed', label: 'groupPanel.policy.closed', hint: 'groupPanel.policy.closedHint' },
];

/**
 * Who may post, who may join with a link, and the invite links themselves (owner and admins).
 *
 * @summary Settings tab of the group panel.
 */
@imElement('im-group-settings')
export class ImGroupSettings extends ImElement {
  static override styles = [
    partStyles,
    css`
      .option {
        display: flex;
        align-items: flex-start;
        gap: 10px;
        padding: 6px 0;
      }
      .option label {
        cursor: pointer;
      }
      .option .label {
        display: block;
        font-weight: 500;
      }
      .option .hint {
        display: block;
        color: var(--im-color-muted);
        font-size: 0.9em;
      }
      fieldset {
        margin: 0;
        padding: 0;
        border: none;
      }
      legend {
        margin-bottom: 4px;
        padding: 0;
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) conversation?: GroupConversation;

  /** The query parameter of shareable invite links (see `<im-group-panel>`). */
  @property({ attribute: false }) joinParam = 'im-join';

  #actions = new ActionTracker(this);

  /** Scrolls the invite links into view and focuses their first action. */
  async revealInviteLinks(): Promise<void> {
    await this.updateComplete;
    await this.renderRoot.querySelector(tag('im-group-invites'))?.reveal();
  }
  /** What a change asked for, shown while it runs and until the group reflects it (or it fails). */
  #pendingMute: boolean | null = null;
  #pendingPolicy: JoinPolicy | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const group = this.conversation;
    const previous = changed.get('conversation') as GroupConversation | undefined;
    if (!group || !changed.has('conversation')) return;
    // A change asked for is shown until the group reflects it, or until the group moves otherwise.
    if (this.#pendingMute !== null && !this.#actions.busy('posting')) {
      if (group.mutedAll === this.#pendingMute || group.mutedAll !== previous?.mutedAll) this.#pendingMute = null;
    }
    if (this.#pendingPolicy !== null && !this.#actions.busy('policy')) {
      if (group.joinPolicy === this.#pendingPolicy || group.joinPolicy !== previous?.joinPolicy) this.#pendingPolicy = null;
    }
  }

  protected override render() {
    const t = this.translator;
    const group = this.conversation;
    if (!t || !group) return nothing;
    const posting = this.#actions.busy('posting');
    const policyBusy = this.#actions.busy('policy');
    return html`<section>
        <h3 aria-level=${this.headingLevel(1)}>${t.t('groupPanel.posting')}</h3>
        <div class="option">
          <input
            id="mute-all"
            type="checkbox"
            role="switch"
            class="mute-all"
            .checked=${live(this.#pendingMute ?? group.mutedAll)}
            aria-disabled=${posting ? 'true' : 'false'}
            aria-describedby="mute-all-hint"
            @change=${this.#onMuteAll}
          />
          <span>
            <label class="label" for="mute-all">${t.t('groupPanel.onlyAdminsPost')}</label>
            <span class="hint" id="mute-all-hint">${t.t('groupPanel.onlyAdminsPostHint')}</span>
          </span>
        </div>
        ${errorNote(t, this.#actions.error('posting'))}
      </section>
      <section>
        <fieldset>
          <legend>${t.t('groupPanel.joinPolicy')}</legend>
          ${policies.map(
            ({ value, label, hint }) => html`<div class="option">
              <input
                id="policy-${value}"
                type="radio"
                name="join-policy"
                value=${value}
                .checked=${live((this.#pendingPolicy ?? group.joinPolicy) === value)}
                aria-disabled=${policyBusy ? 'true' : 'false'}
                aria-describedby="hint-${value}"
                @change=${this.#onPolicy}
              />
              <span>
                <label class="label" for="policy-${value}">${t.t(label)}</label>
                <span class="hint" id="hint-${value}">${t.t(hint)}</span>
              </span>
            </div>`,
          )}
        </fieldset>
        ${errorNote(t, this.#actions.error('policy'))}
      </section>
      <im-group-invites .conversation=${group} .joinParam=${this.joinParam}></im-group-invites>`;
  }

  async #onMuteAll(event: Event): Promise<void> {
    const muted = (event.target as HTMLInputElement).checked;
    const group = this.conversation;
    const groups = this.client?.groups;
    // Busy controls stay focusable (a disabled one would drop the keyboard focus); a change
    // made meanwhile is ignored, and the next render shows the group's actual state again.
    if (!group || !groups || this.#actions.busy('posting')) return this.requestUpdate();
    this.#pendingMute = muted;
    const ok = await this.#actions.run('posting', () => groups.muteAll(group.id, muted));
    if (!ok || this.conversation?.mutedAll === muted) this.#pendingMute = null;
    this.requestUpdate();
  }

  async #onPolicy(event: Event): Promise<void> {
    const policy = (event.target as HTMLInputElement).value as JoinPolicy;
    const group = this.conversation;
    const groups = this.client?.groups;
    if (!group || !groups || this.#actions.busy('policy')) return this.requestUpdate();
    this.#pendingPolicy = policy;
    const ok = await this.#actions.run('policy', () => groups.setJoinPolicy(group.id, policy));
    if (!ok || this.conversation?.joinPolicy === policy) this.#pendingPolicy = null;
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'im-group-settings': ImGroupSettings;
  }
}
