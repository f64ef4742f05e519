import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../quality.js';
import { ReadingTypeCodes } from '../reading-type.js';
import { intervalBlockEnd, IntervalBlockSchema, intervalEndAt, isSupportedIntervalSeconds } from './interval-block.js';

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
