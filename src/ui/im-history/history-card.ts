/** A chat history as a card ("Chat history of Alice and Bob", a few lines, a count), and its title. */
import type { HistoryBody } from '../../protocol/index.js';
import { summaryOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import { html } from '../registry.js';

/** Lines of a card: the first messages, "Name: what it says". */
const cardLines = 4;

/** How the people of a history are called in it: as named when it was forwarded. */
export function historyNameOf(body: HistoryBody): (userId: string) => string {
  const names = new Map(body.people.map((person) => [person.id, person.name]));
  return (userId) => names.get(userId) ?? userId;
}

/** "Chat history of Alice and Bob", or of a group by its name then. */
export function historyTitle(body: HistoryBody, t: Translator): string {
  if (body.from.kind === 'group') return t.t('history.titleGroup', { name: body.from.name });
  const nameOf = historyNameOf(body);
  return t.t('history.titleSingle', { names: t.list(body.from.userIds.map(nameOf)) });
}

/** The card a history message shows; choosing it opens the messages (see `<im-history-view>`). */
export function renderHistoryCard(
  body: HistoryBody,
  context: { t: Translator; tabbable: boolean; openHistory: (body: HistoryBody, opener: HTMLElement) => void },
) {
  const { t } = context;
  const nameOf = historyNameOf(body);
  return html`<button
    type="button"
    class="history-card"
    part="history-card"
    tabindex=${context.tabbable ? 0 : -1}
    aria-haspopup="dialog"
    @click=${(event: Event) => context.openHistory(body, event.currentTarget as HTMLElement)}
  >
    <span class="history-title" dir="auto">${historyTitle(body, t)}</span>
    <span class="history-lines">
      ${body.items.slice(0, cardLines).map(
        (item) => html`<span class="history-line" dir="auto"><bdi>${nameOf(item.senderId)}</bdi>: ${summaryOf(item.body, t)}</span>`,
      )}
    </span>
    <span class="history-footer">${t.t('history.footer', { count: body.items.length })}</span>
  </button>`;
}
