import type { PrechatField } from '../../protocol/index.js';
import type { BusinessHours } from './business-hours.js';

/** How the support team presents itself and when it answers (see `readConfig`). */
export interface SupportSettings {
  /** The team's name, the title customers see. */
  name: string;
  /** Shown before the customer writes; empty: the widget's own greeting, in its language. */
  greeting: string;
  /** Shown while nobody can answer; empty: the widget's own words. */
  awayMessage: string;
  prechat: { name: PrechatField; email: PrechatField };
  /** Null: always within hours. */
  hours: BusinessHours | null;
  /** The team's IANA time zone (that of `hours` when set). */
  timeZone: string;
  /** Given the agent role when the server starts (it is never taken away from them there). */
  agentIds: readonly string[];
}

export const defaultSupportSettings: SupportSettings = {
  name: 'Support',
  greeting: '',
  awayMessage: '',
  prechat: { name: 'off', email: 'off' },
  hours: null,
  timeZone: 'UTC',
  agentIds: [],
};
