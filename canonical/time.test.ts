import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import {
  InstantSchema,
  instantToMillis,
  intervalsInLocalDay,
  localDateOf,
  localDayEnd,
  localDaySeconds,
  localDaysOf,
  localDayStart,
  parseLocalWallTime,
  TimeZoneSchema,
} from './time.js';

const NEW_YORK = 'America/New_York';

describe('instants', () => {
  it('accepts UTC ISO strings and rejects a time without offset or with a local offset', () => {
    expect(InstantSchema.safeParse('2024-01-01T00:30:00Z').success).toBe(true);
    expect(InstantSchema.safeParse('2024-01-01T00:30:00.123Z').success).toBe(true);
    expect(InstantSchema.safeParse('2024-01-01T00:30:00').success).toBe(false);
    expect(InstantSchema.safeParse('2024-01-01T00:30:00-05:00').success).toBe(false);
    expect(InstantSchema.safeParse('2024-02-30T00:00:00Z').success).toBe(false);
    expect(() => instantToMillis('2024-01-01 00:30')).toThrow(InputError);
  });

  it('validates IANA zones through the tz database', () => {
    expect(TimeZoneSchema.safeParse(NEW_YORK).success).toBe(true);
    expect(TimeZoneSchema.safeParse('UTC').success).toBe(true);
    expect(TimeZoneSchema.safeParse('Mars/Olympus_Mons').success).toBe(false);
  });
});

describe('local days in an IANA zone', () => {
  it('gives the UTC bounds of a normal day', () => {
    expect(localDayStart('2024-01-15', NEW_YORK)).toBe('2024-01-15T05:00:00.000Z');
    expect(localDayEnd('2024-01-15', NEW_YORK)).toBe('2024-01-16T05:00:00.000Z');
    expect(intervalsInLocalDay('2024-01-15', NEW_YORK, 900)).toBe(96);
  });

  it('has 92 quarter-hours on the spring-forward day (23 h)', () => {
    expect(localDaySeconds('2024-03-10', NEW_YORK)).toBe(23 * 3600);
    expect(intervalsInLocalDay('2024-03-10', NEW_YORK, 900)).toBe(92);
    expect(localDayEnd('2024-03-10', NEW_YORK)).toBe('2024-03-11T04:00:00.000Z');
  });

  it('has 100 quarter-hours on the fall-back day (25 h)', () => {
    expect(localDaySeconds('2024-11-03', NEW_YORK)).toBe(25 * 3600);
    expect(intervalsInLocalDay('2024-11-03', NEW_YORK, 900)).toBe(100);
    expect(intervalsInLocalDay('2024-11-03', NEW_YORK, 3600)).toBe(25);
  });

  it('refuses an interval that does not fill the day', () => {
    expect(() => intervalsInLocalDay('2024-11-03', NEW_YORK, 7200)).toThrow(/do not fill the 25 h local day/);
    expect(() => intervalsInLocalDay('2024-11-03', NEW_YORK, 0)).toThrow(InputError);
  });

  it('puts an instant on its local date', () => {
    expect(localDateOf('2024-01-16T04:59:59Z', NEW_YORK)).toBe('2024-01-15');
    expect(localDateOf('2024-01-16T05:00:00Z', NEW_YORK)).toBe('2024-01-16');
  });

  it('iterates the local days of a period across a DST change, end exclusive', () => {
    const days = [...localDaysOf({ start: '2024-03-09T05:00:00Z', end: '2024-03-12T04:00:00Z' }, NEW_YORK)];
    expect(days).toEqual(['2024-03-09', '2024-03-10', '2024-03-11']);
    const partial = [...localDaysOf({ start: '2024-03-09T12:00:00Z', end: '2024-03-10T06:00:00Z' }, NEW_YORK)];
    expect(partial).toEqual(['2024-03-09', '2024-03-10']);
    expect([...localDaysOf({ start: '2024-03-10T05:00:00Z', end: '2024-03-10T05:00:00Z' }, NEW_YORK)]).toEqual([]);
  });

  it('refuses an unknown zone', () => {
    expect(() => localDayStart('2024-01-15', 'Nowhere/Town')).toThrow(/unknown IANA time zone/);
  });
});

describe('local wall times (cmep.md §7 DST pitfalls)', () => {
  it('converts an ordinary wall time', () => {
    expect(parseLocalWallTime('2024-01-15T08:15', NEW_YORK)).toBe('2024-01-15T13:15:00.000Z');
  });

  it('rejects the nonexistent spring-forward hour by default, or shifts it when asked', () => {
    expect(() => parseLocalWallTime('2024-03-10T02:30', NEW_YORK)).toThrow(/does not exist/);
    expect(parseLocalWallTime('2024-03-10T02:30', NEW_YORK, { nonexistent: 'shiftForward' })).toBe('2024-03-10T07:30:00.000Z');
  });

  it('resolves the repeated fall-back hour by policy', () => {
    expect(parseLocalWallTime('2024-11-03T01:30', NEW_YORK)).toBe('2024-11-03T05:30:00.000Z');
    expect(parseLocalWallTime('2024-11-03T01:30', NEW_YORK, { ambiguous: 'later' })).toBe('2024-11-03T06:30:00.000Z');
    expect(() => parseLocalWallTime('2024-11-03T01:30', NEW_YORK, { ambiguous: 'reject' })).toThrow(/ambiguous/);
  });

  it('refuses a wall time that carries an offset', () => {
    expect(() => parseLocalWallTime('2024-01-15T08:15:00Z', NEW_YORK)).toThrow(InputError);
  });
});

describe('instant checks agree with luxon', () => {
  it('accepts and converts exactly the instants luxon does, leap days, fractions and 24:00 included', async () => {
    const { DateTime } = await import('luxon');
    const { instantToMillis, isInstant } = await import('./time.js');
    const samples = [
      '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2024-02-30T12:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T24:00:01Z',
      '2024-12-31T23:59:59.999999999Z', '0099-01-01T00:00:00Z', '2024-06-01T10:00:00.5Z', '2024-06-01T10:00:00.05Z',
      '2024-06-01T10:00:60Z', '2024-00-10T00:00:00Z', '2024-04-31T00:00:00Z', '1970-01-01T00:00:00Z', '2024-06-01T10:00:00+00:00',
      '2024-6-01T10:00:00Z', '2024-06-01 10:00:00Z',
    ];
    for (const sample of samples) {
      const luxon = DateTime.fromISO(sample, { zone: 'utc' });
      const expected = sample.endsWith('Z') && /T\d{2}:\d{2}:\d{2}/.test(sample) && luxon.isValid ? luxon.toMillis() : undefined;
      expect([sample, isInstant(sample) ? instantToMillis(sample) : undefined]).toEqual([sample, expected]);
    }
  });
});
