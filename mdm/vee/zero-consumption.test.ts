import { describe, expect, it } from 'vitest';
import { dayOf } from './__fixtures__/days.js';
import { checkZeroConsumption } from './zero-consumption.js';

const options = { days: 3 };

describe('checkZeroConsumption', () => {
  it('raises on the 3rd zero day, not on the 1st or 2nd', () => {
    const [d1, d2, d3] = [dayOf('2024-06-10', '0'), dayOf('2024-06-11', '0.000'), dayOf('2024-06-12', '0')];
    expect(checkZeroConsumption({ day: d1, previousDays: [dayOf('2024-06-09', '1')] }, options).exceptions).toEqual([]);
    expect(checkZeroConsumption({ day: d2, previousDays: [d1] }, options).exceptions).toEqual([]);
    expect(checkZeroConsumption({ day: d3, previousDays: [d1, d2] }, options).exceptions).toEqual([
      expect.objectContaining({ rule: 'zero-consumption', periodStart: '2024-06-10T04:00:00.000Z', periodEnd: '2024-06-13T04:00:00.000Z' }),
    ]);
  });

  it('does not count a missing day or an all-null day as zero', () => {
    const d3 = dayOf('2024-06-12', '0');
    expect(checkZeroConsumption({ day: d3, previousDays: [dayOf('2024-06-10', '0')] }, options).exceptions).toEqual([]);
    expect(checkZeroConsumption({ day: d3, previousDays: [dayOf('2024-06-10', '0'), dayOf('2024-06-11', null)] }, options).exceptions).toEqual([]);
  });

  it('is broken by one interval of use', () => {
    const day = dayOf('2024-06-12', '0', { 7: '0.01' });
    expect(checkZeroConsumption({ day, previousDays: [dayOf('2024-06-10', '0'), dayOf('2024-06-11', '0')] }, options).exceptions).toEqual([]);
  });
});
