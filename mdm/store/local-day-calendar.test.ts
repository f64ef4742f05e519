import { describe, expect, it } from 'vitest';
import { intervalsInDay, localDayAt } from './local-day-calendar.js';

describe('localDayAt', () => {
  it('gives the 25-hour fall-back day its bounds, from its first and its last instant', () => {
    const first = localDayAt(Date.parse('2024-11-03T04:00:00Z'), 'America/New_York');
    const last = localDayAt(Date.parse('2024-11-04T04:59:59Z'), 'America/New_York');
    expect(last).toEqual(first);
    expect(first).toMatchObject({ localDate: '2024-11-03', dayStart: '2024-11-03T04:00:00.000Z' });
    expect(intervalsInDay(first, 'America/New_York', 900)).toBe(100);
  });

  it('does not confuse zones or neighbouring days sharing a cached bucket', () => {
    const at = Date.parse('2024-03-10T05:00:00Z');
    expect(localDayAt(at - 1, 'America/New_York').localDate).toBe('2024-03-09');
    expect(localDayAt(at, 'America/New_York').localDate).toBe('2024-03-10');
    expect(localDayAt(at, 'Asia/Kathmandu').localDate).toBe('2024-03-10');
    expect(intervalsInDay(localDayAt(at, 'America/New_York'), 'America/New_York', 900)).toBe(92);
  });

  it('starts a day at a :45 UTC midnight (UTC+05:45)', () => {
    expect(localDayAt(Date.parse('2024-03-09T18:15:00Z'), 'Asia/Kathmandu')).toMatchObject({ localDate: '2024-03-10', dayStart: '2024-03-09T18:15:00.000Z' });
    expect(localDayAt(Date.parse('2024-03-09T18:14:59Z'), 'Asia/Kathmandu').localDate).toBe('2024-03-09');
  });
});
