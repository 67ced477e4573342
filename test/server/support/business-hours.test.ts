import { describe, expect, it } from 'vitest';
import { BusinessHours, BusinessHoursError } from '../../../src/server/support/business-hours.js';

describe('business hours', () => {
  const berlin = BusinessHours.parse('mon-fri 09:00-17:00; sat 10:00-12:30 13:00-16:00', 'Europe/Berlin');

  it('answers within the hours of the team’s own time zone', () => {
    // Monday 5 January 2026, 09:30 in Berlin (UTC+1).
    expect(berlin.isOpen(Date.UTC(2026, 0, 5, 8, 30))).toBe(true);
    expect(berlin.isOpen(Date.UTC(2026, 0, 5, 7, 59))).toBe(false);
    expect(berlin.isOpen(Date.UTC(2026, 0, 5, 16, 0))).toBe(false);
    // Saturday's lunch break, then the afternoon.
    expect(berlin.isOpen(Date.UTC(2026, 0, 10, 11, 45))).toBe(false);
    expect(berlin.isOpen(Date.UTC(2026, 0, 10, 12, 0))).toBe(true);
  });

  it('follows daylight saving time', () => {
    // Monday 30 March 2026, 08:30 in Berlin is 06:30 UTC (UTC+2 since the 29th).
    expect(berlin.isOpen(Date.UTC(2026, 2, 30, 6, 30))).toBe(false);
    expect(berlin.isOpen(Date.UTC(2026, 2, 30, 7, 0))).toBe(true);
  });

  it('says when the team next starts answering, and nothing while it answers', () => {
    expect(berlin.nextOpening(Date.UTC(2026, 0, 5, 8, 30))).toBeNull();
    // Saturday evening: Monday 09:00 Berlin.
    expect(berlin.nextOpening(Date.UTC(2026, 0, 10, 18))).toBe(Date.UTC(2026, 0, 12, 8));
    // Saturday's lunch break: 13:00 the same day.
    expect(berlin.nextOpening(Date.UTC(2026, 0, 10, 11, 45))).toBe(Date.UTC(2026, 0, 10, 12));
    expect(BusinessHours.parse('', 'UTC').nextOpening(0)).toBeNull();
  });

  it('ends a day at 24:00', () => {
    const late = BusinessHours.parse('sun 20:00-24:00', 'UTC');
    expect(late.isOpen(Date.UTC(2026, 0, 4, 23, 59))).toBe(true);
    expect(late.isOpen(Date.UTC(2026, 0, 5, 0, 0))).toBe(false);
  });

  it('refuses schedules and zones it does not understand, saying where', () => {
    expect(() => BusinessHours.parse('mon-fri', 'UTC')).toThrow(BusinessHoursError);
    expect(() => BusinessHours.parse('fri-mon 09:00-17:00', 'UTC')).toThrow(/fri-mon/);
    expect(() => BusinessHours.parse('mon 17:00-09:00', 'UTC')).toThrow(/17:00-09:00/);
    expect(() => BusinessHours.parse('mon 09:00-17:00', 'Mars/Olympus')).toThrow(/IANA/);
  });
});
