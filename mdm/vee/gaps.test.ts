import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { dayOf } from './__fixtures__/days.js';
import { checkGaps } from './gaps.js';

describe('checkGaps', () => {
  it('flags a gap of 3 intervals as missing, for estimation, with one exception for the run', () => {
    const day = dayOf('2024-06-12', '0.25', { 40: null, 41: null, 42: null });
    const found = checkGaps({ day }, { minRunForException: 1 });
    expect(found.failures.map((failure) => [failure.index, failure.quality, failure.action])).toEqual([
      [40, QualityCodes.MISSING, 'estimate'],
      [41, QualityCodes.MISSING, 'estimate'],
      [42, QualityCodes.MISSING, 'estimate'],
    ]);
    expect(found.exceptions).toEqual([
      expect.objectContaining({ rule: 'gaps', severity: 'warning', periodStart: '2024-06-12T14:00:00.000Z', periodEnd: '2024-06-12T14:45:00.000Z' }),
    ]);
  });

  it('treats a value carrying the missing code as a placeholder, not consumption (cmep.md §10)', () => {
    const day = dayOf('2024-06-12', '0.25', { 5: '0' }, { 5: [QualityCodes.MISSING] });
    expect(checkGaps({ day }, { minRunForException: 1 }).failures.map((failure) => failure.index)).toEqual([5]);
  });

  it('raises no exception for a run shorter than minRunForException, but still flags the interval', () => {
    const found = checkGaps({ day: dayOf('2024-06-12', '1', { 0: null }) }, { minRunForException: 2 });
    expect(found.failures).toHaveLength(1);
    expect(found.exceptions).toEqual([]);
  });

  it('handles the 92- and 25-hour 100-interval DST days to their last interval', () => {
    const spring = checkGaps({ day: dayOf('2024-03-10', '1', { 91: null }) }, { minRunForException: 1 });
    expect(spring.exceptions[0]?.periodEnd).toBe('2024-03-11T04:00:00.000Z');
    const fall = checkGaps({ day: dayOf('2024-11-03', null) }, { minRunForException: 1 });
    expect(fall.failures).toHaveLength(100);
    expect(fall.exceptions[0]).toMatchObject({ periodStart: '2024-11-03T04:00:00.000Z', periodEnd: '2024-11-04T05:00:00.000Z' });
  });
});
