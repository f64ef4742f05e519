import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { dayOf } from './__fixtures__/days.js';
import { checkHighLow } from './high-low.js';

describe('checkHighLow', () => {
  it('passes values equal to the limits (inclusive) and fails values strictly beyond them', () => {
    const day = dayOf('2024-06-12', '1', { 0: '10', 1: '10.001', 2: '0.1', 3: '0.0999', 4: null });
    const found = checkHighLow({ day }, { high: '10', low: '0.1' });
    expect(found.failures.map((failure) => [failure.index, failure.quality])).toEqual([
      [1, QualityCodes.OUT_OF_RANGE],
      [3, QualityCodes.USAGE_BELOW_MINIMUM],
    ]);
    expect(found.exceptions[0]).toMatchObject({ rule: 'high-low', periodStart: '2024-06-12T04:15:00.000Z', periodEnd: '2024-06-12T05:00:00.000Z' });
  });

  it('compares as decimals, not strings ("9.5" < "10")', () => {
    expect(checkHighLow({ day: dayOf('2024-06-12', '9.5') }, { high: '10' }).failures).toEqual([]);
  });
});
