import type { SupportConfig } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';

/** Whether and when the team answers, in a line: "We usually reply within minutes". */
export function describeAvailability(config: SupportConfig | null, t: Translator, now = Date.now()): string {
  if (!config) return '';
  const { agentsOnline, withinHours, nextOpenAt } = config.availability;
  // Hours may have started since the server said so.
  const open = withinHours || (nextOpenAt !== null && now >= nextOpenAt);
  if (agentsOnline && open) return t.t('support.replyingNow');
  if (!open && nextOpenAt !== null) return t.t('support.backAt', { time: t.dateTime(nextOpenAt) });
  return t.t('support.replyingLater');
}
