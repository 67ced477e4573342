/** One person in a list of the group panel (join requests, bans): who, when, and what can be done. */
import { css, type TemplateResult } from 'lit';
import type { User } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import '../im-avatar/im-avatar.js';
import { html } from '../registry.js';
import { errorNote } from './actions.js';

export interface PersonRow {
  userId: string;
  /** Their profile, once known; until then the row shows their id. */
  user: User | undefined;
  /** The line under the name, e.g. when they asked to join. */
  detail: string;
  /** The code of the last action on them that failed. */
  error: string | undefined;
  /** The row's buttons, given the name they speak of. */
  actions(name: string): TemplateResult;
}

export function personRow(t: Translator, row: PersonRow): TemplateResult {
  const name = row.user?.name ?? row.userId;
  return html`<li data-user-id=${row.userId}>
    <div class="person">
      <im-avatar .name=${name} .userId=${row.userId} .src=${row.user?.avatar ?? null}></im-avatar>
      <span class="who">
        <span class="name">${name}</span>
        <span class="when">${row.detail}</span>
      </span>
      ${row.actions(name)}
    </div>
    ${errorNote(t, row.error)}
  </li>`;
}

export const personRowStyles = css`
  ul {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  li {
    padding: 6px 0;
  }
  .who {
    flex: 1;
    min-width: 0;
  }
  .when {
    display: block;
    color: var(--im-color-muted);
    font-size: 0.85em;
  }
`;
