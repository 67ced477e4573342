import { DisplayName, Id, PrechatField } from '../../protocol/schemas.js';
import { limits } from '../../protocol/limits.js';
import { BusinessHours } from './business-hours.js';
import { defaultSupportSettings, type SupportSettings } from './support-settings.js';

/**
 * Support settings from the environment (all optional):
 *
 * - `IM_SUPPORT_NAME`: the team's name customers see, default "Support".
 * - `IM_SUPPORT_GREETING`, `IM_SUPPORT_AWAY_MESSAGE`: the texts before the first message
 *   and while nobody can answer; default: the widget's own, in its language.
 * - `IM_SUPPORT_PRECHAT`: the pre-chat form, e.g. `name:required,email:optional`
 *   (each `off`, `optional` or `required`; default both off).
 * - `IM_SUPPORT_HOURS`: business hours, e.g. `mon-fri 09:00-17:00; sat 10:00-14:00`
 *   (default: always), in `IM_SUPPORT_TIMEZONE` (an IANA zone, default UTC).
 * - `IM_SUPPORT_AGENTS`: comma-separated user ids given the agent role at start.
 *
 * Throws an Error whose message names the setting.
 */
export function readSupportSettings(env: NodeJS.ProcessEnv): SupportSettings {
  const name = env['IM_SUPPORT_NAME'] ?? defaultSupportSettings.name;
  if (!DisplayName.safeParse(name).success) {
    throw new Error(`IM_SUPPORT_NAME must be 1-${limits.nameLength} characters`);
  }
  const timeZone = env['IM_SUPPORT_TIMEZONE'] || defaultSupportSettings.timeZone;
  const schedule = env['IM_SUPPORT_HOURS']?.trim();
  let hours: BusinessHours | null = null;
  try {
    // Parsed without a schedule too: the time zone is checked either way.
    const parsed = BusinessHours.parse(schedule ?? '', timeZone);
    hours = schedule ? parsed : null;
  } catch (error) {
    throw new Error(`${schedule ? 'IM_SUPPORT_HOURS' : 'IM_SUPPORT_TIMEZONE'}: ${(error as Error).message}`);
  }
  return {
    name,
    greeting: readText(env, 'IM_SUPPORT_GREETING'),
    awayMessage: readText(env, 'IM_SUPPORT_AWAY_MESSAGE'),
    prechat: readPrechat(env['IM_SUPPORT_PRECHAT']),
    hours,
    timeZone,
    agentIds: readAgents(env['IM_SUPPORT_AGENTS']),
  };
}

function readText(env: NodeJS.ProcessEnv, key: string): string {
  const value = env[key] ?? '';
  if (value.length > limits.supportMessageLength) {
    throw new Error(`${key} must be at most ${limits.supportMessageLength} characters`);
  }
  return value;
}

function readPrechat(value: string | undefined): SupportSettings['prechat'] {
  const prechat = { ...defaultSupportSettings.prechat };
  for (const item of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [field, mode] = item.split(':').map((part) => part.trim());
    const parsed = PrechatField.safeParse(mode);
    if ((field !== 'name' && field !== 'email') || !parsed.success) {
      throw new Error(`IM_SUPPORT_PRECHAT: "${item}" is not name:… or email:… with off, optional or required`);
    }
    prechat[field] = parsed.data;
  }
  return prechat;
}

function readAgents(value: string | undefined): string[] {
  const ids = (value ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  const bad = ids.find((id) => !Id.safeParse(id).success);
  if (bad) throw new Error(`IM_SUPPORT_AGENTS: "${bad}" is not a user id`);
  return ids;
}
