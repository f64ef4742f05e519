import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../quality.js';
import { ReadingTypeCodes } from '../reading-type.js';
import { intervalBlockEnd, IntervalBlockSchema, intervalEndAt, isIntervalBlock, isSupportedIntervalSeconds } from './interval-block.js';

const block = {
  usagePoint: { mRID: '0190a0e1-0000-7000-8000-000000000001' },
  readingType: ReadingTypeCodes.IntervalKwhForward15Min,
  start: '2024-01-01T00:00:00Z',
  intervalSeconds: 900,
  values: ['1.25', null],
  qualities: [[], [QualityCodes.MISSING]],
};

function issuesOf(input: unknown): string[] {
  const result = IntervalBlockSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('IntervalBlock', () => {
  it('accepts a block with a missing value as null and several qualities per interval', () => {
    const parsed = IntervalBlockSchema.parse({ ...block, qualities: [[QualityCodes.POWER_FAIL, QualityCodes.ESTIMATED], [QualityCodes.MISSING]] });
    expect(parsed.values[1]).toBeNull();
    expect(parsed.qualities[0]).toEqual(['1.2.32', '3.8.1']);
  });

  it('rejects vectors of different lengths', () => {
    expect(issuesOf({ ...block, qualities: [[]] })).toEqual(['qualities: expected 2 entries (one per value), got 1']);
    expect(issuesOf({ ...block, sourceStatuses: ['R0'] })).toEqual(['sourceStatuses: expected 2 entries (one per value), got 1']);
  });

  it('rejects a numeric value or an empty string where a decimal string belongs', () => {
    expect(issuesOf({ ...block, values: ['1.25', 0] })).toEqual(['values.1: expected decimal string']);
    expect(issuesOf({ ...block, values: ['1.25', ''] })).toEqual(['values.1: expected decimal string']);
  });

  it('needs a usage point or a meter', () => {
    const { usagePoint: _omitted, ...withoutUsagePoint } = block;
    expect(issuesOf(withoutUsagePoint)).toEqual(['usagePoint: a block needs a usagePoint or a meter']);
    expect(issuesOf({ ...withoutUsagePoint, meter: { name: 'MTR001', nameType: 'cmep:feedA/meterId' } })).toEqual([]);
  });

  it('accepts intervals that divide an hour or are whole hours dividing a day or whole days', () => {
    for (const seconds of [60, 300, 900, 1800, 3600, 7200, 21_600, 86_400, 604_800]) expect(isSupportedIntervalSeconds(seconds), String(seconds)).toBe(true);
    for (const seconds of [0, -900, 420, 2700, 5400, 18_000, 90_000, 1.5]) expect(isSupportedIntervalSeconds(seconds), String(seconds)).toBe(false);
  });

  it('rejects an interval length the ReadingType contradicts, and one that is not supported', () => {
    expect(issuesOf({ ...block, intervalSeconds: 3600 })).toEqual(['intervalSeconds: 3600 s contradicts the ReadingType measuring period of 900 s']);
    const noPeriod = '0.0.0.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
    expect(issuesOf({ ...block, readingType: noPeriod, intervalSeconds: 420 })[0]).toMatch(/^intervalSeconds: interval must divide an hour/);
  });

  it('rejects a start that is not a UTC instant', () => {
    expect(issuesOf({ ...block, start: '2024-01-01T00:00:00' })).toEqual(['start: expected UTC instant (ISO 8601 ending in Z)']);
  });

  it('computes interval ends (CIM IntervalReading.timeStamp) and the block end', () => {
    expect(intervalEndAt(block, 0)).toBe('2024-01-01T00:15:00.000Z');
    expect(intervalBlockEnd(block)).toBe('2024-01-01T00:30:00.000Z');
  });
});

describe('isIntervalBlock, the copy-free check', () => {
  const valid = {
    meter: { name: 'MTR001', nameType: 'cmep:feedA/meterId' },
    readingType: ReadingTypeCodes.IntervalKwhForward15Min,
    start: '2024-01-02T00:00:00.000Z',
    intervalSeconds: 900,
    values: ['1.25', null, '-0.5', '3'],
    qualities: [['0.0.0'], [], ['2.5.259', '1.4.0'], []],
    sourceStatuses: [null, 'N', 'E7', null],
    source: 'cmep:feedA',
  };

  /** Deterministic mutations of one field at a time: types, lengths, formats, extra and missing keys. */
  function* mutations(): Generator<[string, unknown]> {
    const wrong: unknown[] = [undefined, null, 0, -1, 1.5, '', 'x', '1.', '.5', '1e3', ' 1', [], [null], [[]], [''], {}, { mRID: 'not-a-uuid' }, { name: 'x' }, { name: 'x', nameType: '' }, { mRID: '0190a0e1-0000-7000-8000-000000000001', extra: 1 }, { mRID: '0190a0e1-0000-7000-8000-000000000001' }, 86_400, 3_600, 1_800, 7, Number.NaN, Number.POSITIVE_INFINITY, '2024-02-30T00:00:00Z', '2024-01-02T00:00:00Z', '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', '0.0.7.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', 'a.b', [['1.2']], [['1.2.3'], [], [], []], ['1', '2', '3', '4'], ['1', '2', '3'], [null, null, null, null], ['a', 'b', 'c', 'd'], [1, 2, 3, 4]];
    for (const key of [...Object.keys(valid), 'extra']) {
      for (const value of wrong) yield [key, { ...valid, [key]: value }];
      const without: Record<string, unknown> = { ...valid };
      delete without[key];
      yield [`${key} removed`, without];
    }
    yield ['usage point instead of meter', { ...valid, meter: undefined, usagePoint: { mRID: '0190a0e1-0000-7000-8000-000000000001' } }];
    yield ['an array', [valid]];
    yield ['null', null];
  }

  it('accepts a valid block, and never accepts what the schema refuses', () => {
    expect(isIntervalBlock(valid)).toBe(true);
    let accepted = 0;
    for (const [label, candidate] of mutations()) {
      const schemaSays = IntervalBlockSchema.safeParse(candidate).success;
      const fastSays = isIntervalBlock(candidate);
      if (fastSays) accepted++;
      expect([label, fastSays && !schemaSays]).toEqual([label, false]);
      // Where the schema accepts, so does the fast check: else every valid block would be copied.
      if (schemaSays) expect([label, fastSays]).toEqual([label, true]);
    }
    expect(accepted).toBeGreaterThan(5);
  });
});
