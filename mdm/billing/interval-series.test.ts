import { describe, expect, it } from 'vitest';
import { formatScaled, periodSeries, SlotState, toScaled } from './interval-series.js';

describe('scaled integers', () => {
  it('reads decimal strings at a common scale and writes them back without trailing zeros', () => {
    expect(['1', '1.5', '0.001', '-0.25', '1234567890123456789.123'].map((text) => toScaled(text, 3))).toEqual([1000n, 1500n, 1n, -250n, 1234567890123456789123n]);
    expect([formatScaled(1500n, 3), formatScaled(1n, 3), formatScaled(-250n, 3), formatScaled(0n, 3), formatScaled(42n, 0), formatScaled(-1n, 2)]).toEqual(['1.5', '0.001', '-0.25', '0', '42', '-0.01']);
  });
});

describe('period series', () => {
  const row = {
    localDate: '2024-06-01',
    dayStart: '2024-06-01T05:00:00.000Z',
    intervalSeconds: 900,
    values: Array.from({ length: 96 }, (_, index) => (index === 2 ? null : index === 3 ? '0.125' : '1.5')),
    qualities: Array.from({ length: 96 }, (_, index) => (index === 4 ? ['1.2.32', '3.8.1'] : [])),
  };

  it('keeps the intervals wholly inside the period, in time order, with their local minute and state', () => {
    const series = periodSeries([row], { start: '2024-06-01T05:10:00.000Z', end: '2024-06-01T06:20:00.000Z' }, 'America/Chicago', 900);
    // 05:15, 05:30, 05:45, 06:00: the 05:00 and 06:15 intervals are cut by the bounds.
    expect([...series.startMillis].map((millis) => new Date(millis).toISOString().slice(11, 16))).toEqual(['05:15', '05:30', '05:45', '06:00']);
    expect([...series.localMinute]).toEqual([15, 30, 45, 60]);
    expect(series.scale).toBe(3);
    expect(series.values).toEqual([1500n, 0n, 125n, 1500n]);
    expect([...series.states]).toEqual([SlotState.Actual, SlotState.Missing, SlotState.Actual, SlotState.Estimated]);
  });

  it('refuses a stored day whose interval is not the ReadingType\'s', () => {
    expect(() => periodSeries([row], { start: '2024-06-01T05:00:00.000Z', end: '2024-06-02T05:00:00.000Z' }, 'America/Chicago', 3600)).toThrow(
      'local day 2024-06-01 is stored with 900 s intervals, the ReadingType has 3600 s',
    );
  });
});
