import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { minuteOfLocalDay } from './wall-clock.js';

describe('minuteOfLocalDay', () => {
  it('agrees with luxon at every quarter hour of a year, DST changes included, in zones with odd offsets', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'UTC'];
    const start = Date.UTC(2026, 0, 1);
    for (const zone of zones) {
      for (let instant = start; instant < start + 366 * 86_400_000; instant += 15 * 60_000) {
        const local = DateTime.fromMillis(instant, { zone });
        const expected = local.hour * 60 + local.minute;
        if (minuteOfLocalDay(instant, zone) !== expected) expect.fail(`${zone} ${new Date(instant).toISOString()}: ${minuteOfLocalDay(instant, zone)} ≠ ${expected}`);
      }
    }
  });

  it('refuses a zone that does not exist, naming the field', () => {
    expect(() => minuteOfLocalDay(0, 'Mars/Olympus')).toThrow('Mars/Olympus');
  });
});
