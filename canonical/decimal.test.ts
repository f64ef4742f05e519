import { describe, expect, it } from 'vitest';
import { DecimalStringSchema, ExactDecimal, parseDecimal, toDecimalString } from './decimal.js';
import { InputError } from './errors.js';

describe('decimal strings', () => {
  it('accepts plain decimals and refuses exponents, numbers and separators', () => {
    expect(DecimalStringSchema.safeParse('-12.50').success).toBe(true);
    expect(DecimalStringSchema.safeParse('1e3').success).toBe(false);
    expect(DecimalStringSchema.safeParse(12.5).success).toBe(false);
    expect(DecimalStringSchema.safeParse('1,000').success).toBe(false);
    expect(DecimalStringSchema.safeParse('').success).toBe(false);
  });

  it('renders without exponent and without negative zero', () => {
    expect(toDecimalString(new ExactDecimal('1e-7'))).toBe('0.0000001');
    expect(toDecimalString(new ExactDecimal('1.50'))).toBe('1.5');
    expect(toDecimalString(new ExactDecimal('-0'))).toBe('0');
  });

  it('names the field when a value is not a decimal string', () => {
    expect(() => parseDecimal('abc', 'values.3')).toThrow(InputError);
    expect(() => parseDecimal('abc', 'values.3')).toThrow(/values\.3: expected decimal string/);
  });
});
