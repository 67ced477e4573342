import { DateTime, IANAZone } from 'luxon';

/** Minutes after midnight, local time: [start, end). */
type Range = [start: number, end: number];

const dayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The schedule is not understood; the message says where. */
export class BusinessHoursError extends Error {
  override readonly name = 'BusinessHoursError';
}

/**
 * When a support team answers, in its own time zone (daylight saving included).
 *
 * The schedule lists days and their hours, entries separated by `;`:
 * `mon-fri 09:00-17:00; sat 10:00-12:30 13:00-16:00`. Days are `mon` … `sun`, a range
 * (`mon-fri`) or a list (`sat,sun`); days not listed are closed; `24:00` ends at midnight.
 *
 * @example
 * const hours = BusinessHours.parse('mon-fri 09:00-17:00', 'Europe/Berlin');
 * hours.isOpen(Date.now());
 */
export class BusinessHours {
  private constructor(
    /** Index 0 is Monday. */
    private readonly days: readonly Range[][],
    readonly timeZone: string,
  ) {}

  static parse(schedule: string, timeZone: string): BusinessHours {
    if (!IANAZone.isValidZone(timeZone)) {
      throw new BusinessHoursError(`"${timeZone}" is not an IANA time zone such as Europe/Berlin`);
    }
    const days: Range[][] = dayNames.map(() => []);
    for (const entry of schedule.split(';').map((part) => part.trim()).filter(Boolean)) {
      const [dayPart, ...rangeParts] = entry.split(/\s+/);
      if (rangeParts.length === 0) {
        throw new BusinessHoursError(`"${entry}" has no hours (e.g. "mon-fri 09:00-17:00")`);
      }
      const ranges = rangeParts.map((part) => parseRange(part, entry));
      for (const day of parseDays(dayPart!, entry)) days[day]!.push(...ranges);
    }
    for (const ranges of days) ranges.sort((a, b) => a[0] - b[0]);
    return new BusinessHours(days, timeZone);
  }

  isOpen(at: number): boolean {
    const local = DateTime.fromMillis(at, { zone: this.timeZone });
    const minute = local.hour * 60 + local.minute;
    return this.days[local.weekday - 1]!.some(([start, end]) => minute >= start && minute < end);
  }

  /** When the team next starts answering; null when it answers now, or never. */
  nextOpening(at: number): number | null {
    if (this.isOpen(at)) return null;
    const today = DateTime.fromMillis(at, { zone: this.timeZone }).startOf('day');
    for (let offset = 0; offset <= 7; offset++) {
      const day = today.plus({ days: offset });
      for (const [start] of this.days[day.weekday - 1]!) {
        const opening = day.set({ hour: Math.floor(start / 60), minute: start % 60 }).toMillis();
        if (opening > at) return opening;
      }
    }
    return null;
  }
}

function parseDays(part: string, entry: string): number[] {
  const days = new Set<number>();
  for (const item of part.toLowerCase().split(',')) {
    const [from, to = from] = item.split('-');
    const first = dayNames.indexOf(from as (typeof dayNames)[number]);
    const last = dayNames.indexOf(to as (typeof dayNames)[number]);
    if (first < 0 || last < 0 || last < first) {
      throw new BusinessHoursError(`"${item}" in "${entry}" is not a day or range of days (mon … sun)`);
    }
    for (let day = first; day <= last; day++) days.add(day);
  }
  return [...days];
}

function parseRange(part: string, entry: string): Range {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part);
  const [start, end] = match
    ? [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])]
    : [NaN, NaN];
  const valid = (minutes: number) => minutes >= 0 && minutes <= 24 * 60;
  if (!match || Number(match[2]) > 59 || Number(match[4]) > 59 || !valid(start) || !valid(end) || end <= start) {
    throw new BusinessHoursError(`"${part}" in "${entry}" is not a range of hours such as 09:00-17:00`);
  }
  return [start, end];
}
