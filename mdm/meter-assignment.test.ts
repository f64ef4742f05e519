import { describe, expect, it } from 'vitest';
import { splitSeriesByAssignments } from './meter-assignment.js';

const zone = 'America/New_York';
const series = {
  start: '2024-05-01T13:00:00.000Z',
  intervalSeconds: 900,
  values: ['1', '2', '3', '4', '5', '6'],
  qualities: [[], [], [], [], [], []],
};

describe('splitSeriesByAssignments', () => {
  it('keeps the intervals inside the assignment and hands the rest back for quarantine', () => {
    const split = splitSeriesByAssignments(series, [{ usagePoint: 'up-1', timeZone: zone, validFrom: '2024-01-01T00:00:00Z', validTo: '2024-05-01T14:00:00Z' }]);
    expect(split.assigned).toEqual([{ usagePoint: 'up-1', timeZone: zone, series: { ...series, values: ['1', '2', '3', '4'], qualities: [[], [], [], []] } }]);
    expect(split.unassigned).toEqual([{ start: '2024-05-01T14:00:00.000Z', intervalSeconds: 900, values: ['5', '6'], qualities: [[], []] }]);
  });

  it('gives an interval cut by a mid-interval exchange to the meter installed at its start', () => {
    const periods = [
      { usagePoint: 'up-1', timeZone: zone, validFrom: '2024-01-01T00:00:00Z', validTo: '2024-05-01T13:20:00Z' },
      { usagePoint: 'up-2', timeZone: zone, validFrom: '2024-05-01T13:20:00Z' },
    ];
    const split = splitSeriesByAssignments(series, periods);
    expect(split.assigned.map((part) => [part.usagePoint, part.series.values])).toEqual([
      ['up-1', ['1', '2']],
      ['up-2', ['3', '4', '5', '6']],
    ]);
    expect(split.unassigned).toEqual([]);
  });
});
