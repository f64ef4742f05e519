import { describe, expect, it } from 'vitest';
import { compareValue, decimalLimit, valueSign, type VeeDay } from './day.js';

function dayOf(values: (string | null)[]): VeeDay {
  return { localDate: '2026-01-05', dayStart: '2026-01-05T06:00:00.000Z', intervalSeconds: 900, values, qualities: values.map(() => []) };
}

describe('value comparisons without Decimal', () => {
  it('reads the sign from the decimal string, negative zero being zero', () => {
    const day = dayOf(['0', '-0.00', '0.000', '-0.5', '12.25', '-12', '000.1']);
    expect(day.values.map((_, index) => valueSign(day, index))).toEqual([0, 0, 0, -1, 1, -1, 1]);
  });

  it('compares exactly, through numbers up to 15 significant digits and through Decimal beyond', () => {
    const day = dayOf(['1000', '1000.0000', '999.999999999999', '1000.00000000000001', '0.1000000000000001', '-1000', '123456789012345678']);
    const thousand = decimalLimit('1000', 'high');
    expect(day.values.map((_, index) => compareValue(day, index, thousand))).toEqual([0, 0, -1, 1, -1, -1, 1]);
    const tenth = decimalLimit('0.1', 'high');
    expect(compareValue(day, 4, tenth)).toBe(1);
    const long = decimalLimit('1000.000000000000001', 'high');
    expect(compareValue(day, 0, long)).toBe(-1);
    expect(compareValue(day, 3, long)).toBe(1);
  });
});
