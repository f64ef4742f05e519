import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import type { VeeDay } from './day.js';
import { dayOf } from './__fixtures__/days.js';
import { checkProlongedEstimation, isEstimatedDay } from './prolonged-estimation.js';

function estimatedDay(localDate: string): VeeDay {
  const day = dayOf(localDate, '0.3');
  return { ...day, qualities: day.values.map(() => [QualityCodes.ESTIMATED]) };
}

describe('checkProlongedEstimation', () => {
  const days = ['2024-06-09', '2024-06-10', '2024-06-11', '2024-06-12'].map(estimatedDay);

  it('tolerates N estimated days and raises on more than N', () => {
    const [d1, d2, d3, d4] = days;
    if (d1 === undefined || d2 === undefined || d3 === undefined || d4 === undefined) throw new Error('fixture');
    expect(checkProlongedEstimation({ day: d3, previousDays: [d1, d2] }, { days: 3 }).exceptions).toEqual([]);
    expect(checkProlongedEstimation({ day: d4, previousDays: [d1, d2, d3] }, { days: 3 }).exceptions).toEqual([
      expect.objectContaining({ rule: 'prolonged-estimation', severity: 'error', periodStart: '2024-06-09T04:00:00.000Z' }),
    ]);
  });

  it('does not count a day with one actual reading as estimated', () => {
    const mixed = dayOf('2024-06-12', '0.3', {}, { 0: [QualityCodes.ESTIMATED] });
    expect(isEstimatedDay(mixed)).toBe(false);
  });
});
