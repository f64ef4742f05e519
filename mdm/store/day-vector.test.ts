import { describe, expect, it } from 'vitest';
import { mergeDaySlices, splitIntoLocalDays, type DaySlice } from './day-vector.js';

const NEW_YORK = 'America/New_York';
const QUARTER_HOUR = 900;

function series(start: string, values: (string | null)[], qualities?: string[][]) {
  return { start, intervalSeconds: QUARTER_HOUR, values, qualities: qualities ?? values.map(() => []) };
}

function numbered(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${index}.5`);
}

describe('splitIntoLocalDays', () => {
  it('fills a 25-hour fall-back day with 100 quarter-hours (2024-11-03, America/New_York)', () => {
    // Local midnight is 04:00Z (EDT, UTC-4); the next midnight is 05:00Z (EST, UTC-5).
    const slices = splitIntoLocalDays(series('2024-11-03T04:00:00Z', numbered(100)), NEW_YORK);
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ localDate: '2024-11-03', dayStart: '2024-11-03T04:00:00.000Z', intervalCount: 100, firstIndex: 0 });
    expect(slices[0]?.values[99]).toBe('99.5');
  });

  it('fills a 23-hour spring-forward day with 92 quarter-hours (2024-03-10, America/New_York)', () => {
    const slices = splitIntoLocalDays(series('2024-03-10T05:00:00Z', numbered(92)), NEW_YORK);
    expect(slices.map((slice) => [slice.localDate, slice.intervalCount, slice.values.length])).toEqual([['2024-03-10', 92, 92]]);
  });

  it('cuts a block at local midnight, whatever the UTC date', () => {
    // 2024-01-01 22:00 to 02:00 local (EST): 8 intervals on Jan 1, 8 on Jan 2.
    const slices = splitIntoLocalDays(series('2024-01-02T03:00:00Z', numbered(16)), NEW_YORK);
    expect(slices.map((slice) => [slice.localDate, slice.firstIndex, slice.values.length, slice.intervalCount])).toEqual([
      ['2024-01-01', 88, 8, 96],
      ['2024-01-02', 0, 8, 96],
    ]);
    expect(slices[1]?.values[0]).toBe('8.5');
    expect(slices[1]?.dayStart).toBe('2024-01-02T05:00:00.000Z');
  });

  it('keeps a missing value as null and its qualities beside it', () => {
    const [slice] = splitIntoLocalDays(series('2024-01-01T05:00:00Z', ['1.25', null], [[], ['2.5.259']]), NEW_YORK);
    expect(slice?.values).toEqual(['1.25', null]);
    expect(slice?.qualities).toEqual([[], ['2.5.259']]);
  });

  it('refuses a series off the day\'s interval grid', () => {
    expect(() => splitIntoLocalDays(series('2024-01-01T05:07:00Z', ['1']), NEW_YORK)).toThrow(/not on the 900 s grid/);
  });

  it('refuses an interval that does not divide a 25-hour day', () => {
    const block = { start: '2024-11-03T04:00:00Z', intervalSeconds: 7_200, values: ['1'], qualities: [[]] };
    expect(() => splitIntoLocalDays(block, NEW_YORK)).toThrow(/do not fill the 25 h local day/);
  });
});

function slice(firstIndex: number, values: (string | null)[], qualities?: string[][]): DaySlice {
  return {
    localDate: '2024-01-01',
    dayStart: '2024-01-01T05:00:00.000Z',
    intervalSeconds: QUARTER_HOUR,
    intervalCount: 4,
    firstIndex,
    values,
    qualities: qualities ?? values.map(() => []),
  };
}

describe('mergeDaySlices', () => {
  const stored = { intervalSeconds: QUARTER_HOUR, values: ['1.10', null, '3', null], qualities: [[], ['2.5.259'], [], []] };

  it('creates a full-length day with nulls where nothing was sent', () => {
    const merge = mergeDaySlices(undefined, [slice(1, ['2', '3'])]);
    expect(merge.kind).toBe('created');
    if (merge.kind === 'created') expect(merge.vector.values).toEqual([null, '2', '3', null]);
  });

  it('treats identical values (1.1 = 1.10) as a no-op: a re-import changes nothing', () => {
    expect(mergeDaySlices(stored, [slice(0, ['1.1', null, '3.0'])]).kind).toBe('unchanged');
  });

  it('fills empty slots in place without counting them as revisions', () => {
    const merge = mergeDaySlices(stored, [slice(1, ['2', '3', '4'])]);
    expect(merge).toMatchObject({ kind: 'filled', filled: 2 });
    if (merge.kind === 'filled') {
      expect(merge.vector.values).toEqual(['1.10', '2', '3', '4']);
      expect(merge.vector.qualities[1]).toEqual([]);
    }
  });

  it('a changed value revises the day and names the interval', () => {
    const merge = mergeDaySlices(stored, [slice(0, ['1.2', '2'])]);
    expect(merge).toMatchObject({ kind: 'revised', changedIndexes: [0] });
    if (merge.kind === 'revised') expect(merge.vector.values).toEqual(['1.2', '2', '3', null]);
  });

  it('a changed quality on the same value is a revision too (the audit trail keeps both)', () => {
    expect(mergeDaySlices(stored, [slice(2, ['3'], [['3.8.1']])])).toMatchObject({ kind: 'revised', changedIndexes: [2] });
  });

  it("codes VEE added to a stored value (3.0.1, 2.5.258) do not make a re-delivery without them a revision", () => {
    const validated = { ...stored, qualities: stored.qualities.map((codes) => [...codes, '3.0.1', '2.5.258']) };
    expect(mergeDaySlices(validated, [slice(2, ['3'])]).kind).toBe('unchanged');
  });

  it('an incoming null never erases a stored value', () => {
    expect(mergeDaySlices(stored, [slice(0, [null], [['2.5.259']])]).kind).toBe('unchanged');
  });

  it('merges two slices of the same day in order (two meters either side of an exchange)', () => {
    const merge = mergeDaySlices(undefined, [slice(0, ['1', '2']), slice(2, ['3', '4'])]);
    expect(merge.kind === 'created' && merge.vector.values).toEqual(['1', '2', '3', '4']);
  });

  it('refuses a slice whose day shape differs from the stored one', () => {
    expect(() => mergeDaySlices(stored, [{ ...slice(0, ['1']), intervalCount: 100 }])).toThrow(/does not match/);
  });
});
