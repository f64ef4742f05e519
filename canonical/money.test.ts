import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import {
  addMoney,
  compareMoney,
  formatMoney,
  minorUnitsOf,
  MoneySchema,
  multiplyMoney,
  parseMoney,
  roundMoney,
  subtractMoney,
  sumMoney,
} from './money.js';

const usd = (amount: string) => parseMoney(amount, 'USD');

describe('money', () => {
  it('adds 0.1 and 0.2 to exactly 0.3, never through a float', () => {
    expect(addMoney(usd('0.1'), usd('0.2'))).toEqual({ amount: '0.3', currency: 'USD' });
  });

  it('refuses a float number input, accepts a safe integer', () => {
    expect(() => parseMoney(0.1 + 0.2, 'USD')).toThrow(/decimal string/);
    expect(() => parseMoney(2 ** 53, 'USD')).toThrow(InputError);
    expect(parseMoney(42, 'USD')).toEqual({ amount: '42', currency: 'USD' });
  });

  it('refuses malformed strings and unknown currencies', () => {
    expect(() => parseMoney('1,000.00', 'USD')).toThrow(InputError);
    expect(() => parseMoney('1e3', 'USD')).toThrow(InputError);
    expect(() => parseMoney('1', 'usd')).toThrow(/currency/);
    expect(() => parseMoney('1', 'ZZZ')).toThrow(/currency/);
    expect(MoneySchema.safeParse({ amount: 12.5, currency: 'USD' }).success).toBe(false);
  });

  it('refuses to mix currencies', () => {
    expect(() => addMoney(usd('1'), parseMoney('1', 'EUR'))).toThrow(/USD and EUR/);
  });

  it('multiplies a price by a quantity exactly and rounds half-even once', () => {
    const line = multiplyMoney(usd('0.1234'), '812.5');
    expect(line.amount).toBe('100.2625');
    expect(roundMoney(line).amount).toBe('100.26');
    expect(roundMoney(usd('2.345')).amount).toBe('2.34');
    expect(roundMoney(usd('2.355')).amount).toBe('2.36');
    expect(roundMoney(usd('-2.345')).amount).toBe('-2.34');
  });

  it('rounds to the currency minor unit (ISO 4217)', () => {
    expect(minorUnitsOf('JPY')).toBe(0);
    expect(minorUnitsOf('KWD')).toBe(3);
    expect(roundMoney(parseMoney('1234.5', 'JPY')).amount).toBe('1234');
    expect(roundMoney(parseMoney('1.23456', 'KWD')).amount).toBe('1.235');
  });

  it('formats padded to the minor unit', () => {
    expect(formatMoney(usd('12.3'))).toBe('12.30 USD');
    expect(formatMoney(usd('-0.001'))).toBe('0.00 USD');
    expect(formatMoney(parseMoney('1500', 'JPY'))).toBe('1500 JPY');
  });

  it('subtracts, sums and compares', () => {
    expect(subtractMoney(usd('10'), usd('10.01')).amount).toBe('-0.01');
    expect(sumMoney([usd('0.1'), usd('0.2'), usd('0.3')], 'USD').amount).toBe('0.6');
    expect(compareMoney(usd('0.3'), addMoney(usd('0.1'), usd('0.2')))).toBe(0);
    expect(compareMoney(usd('1'), usd('2'))).toBe(-1);
  });
});
