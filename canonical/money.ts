/**
 * Money: an amount as a decimal string with an ISO 4217 currency code. Arithmetic goes through
 * decimal.js and never through a JS float, so 0.1 + 0.2 is 0.3; rounding to the currency's minor
 * unit is half-even (banker's rounding), which does not bias long sums of rounded charges.
 */
import type { Decimal } from 'decimal.js';
import { z } from 'zod';
import { DecimalStringSchema, ExactDecimal, isDecimalString, parseDecimal, toDecimalString } from './decimal.js';
import { InputError } from './errors.js';

/** ISO 4217 alphabetic code known to this runtime's ICU data (current codes only). */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const CurrencyCodeSchema = z
  .string({ error: 'expected ISO 4217 currency code' })
  .refine((code) => /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code), { error: 'expected ISO 4217 currency code' });

export const MoneySchema = z.strictObject({ amount: DecimalStringSchema, currency: CurrencyCodeSchema });
export type Money = z.infer<typeof MoneySchema>;

/**
 * ISO 4217 minor units that differ from the usual 2. Taken from the standard's table, not from
 * ICU/CLDR, which differs for some currencies (CLDR gives IQD 0 digits where ISO 4217 gives 3).
 */
const MINOR_UNITS: ReadonlyMap<string, number> = new Map([
  ...['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map(
    (code): [string, number] => [code, 0],
  ),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((code): [string, number] => [code, 3]),
  ...['CLF', 'UYW'].map((code): [string, number] => [code, 4]),
]);

export function minorUnitsOf(currency: string): number {
  requireCurrency(currency);
  return MINOR_UNITS.get(currency) ?? 2;
}

function requireCurrency(currency: string): void {
  if (!CurrencyCodeSchema.safeParse(currency).success) {
    throw new InputError(`unknown ISO 4217 currency ${JSON.stringify(currency)}`, { field: 'currency' });
  }
}

/**
 * Reads an amount. A string must be a plain decimal; a JS number is accepted only when it is a
 * safe integer, because any other number has already lost its decimal value (0.1 + 0.2 arrives
 * as 0.30000000000000004).
 */
export function parseMoney(amount: string | number, currency: string): Money {
  requireCurrency(currency);
  if (typeof amount === 'number') {
    if (!Number.isSafeInteger(amount)) {
      throw new InputError(`amount ${amount} is a float or unsafe integer: pass money as a decimal string`, { field: 'amount' });
    }
    return { amount: String(amount), currency };
  }
  if (!isDecimalString(amount)) throw new InputError(`amount: expected decimal string, got ${JSON.stringify(amount)}`, { field: 'amount' });
  return { amount: toDecimalString(new ExactDecimal(amount)), currency };
}

function sameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency) throw new InputError(`cannot ${operation} ${a.currency} and ${b.currency}`, { field: 'currency' });
}

function amountOf(money: Money): Decimal {
  return parseDecimal(money.amount, 'amount');
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b, 'add');
  return { amount: toDecimalString(amountOf(a).plus(amountOf(b))), currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b, 'subtract');
  return { amount: toDecimalString(amountOf(a).minus(amountOf(b))), currency: a.currency };
}

/** Price × quantity (e.g. 0.1234 USD/kWh × 812.5 kWh), unrounded: round once, at the line total. */
export function multiplyMoney(price: Money, quantity: string): Money {
  return { amount: toDecimalString(amountOf(price).times(parseDecimal(quantity, 'quantity'))), currency: price.currency };
}

export function sumMoney(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce((total, next) => addMoney(total, next), parseMoney('0', currency));
}

/** Rounds half-even to the currency's minor unit (2.345 USD → 2.34, 2.355 USD → 2.36). */
export function roundMoney(money: Money): Money {
  const digits = minorUnitsOf(money.currency);
  return { amount: toDecimalString(amountOf(money).toDecimalPlaces(digits, ExactDecimal.ROUND_HALF_EVEN)), currency: money.currency };
}

/** `12.30 USD`: rounded half-even and padded to the currency's minor unit. */
export function formatMoney(money: Money): string {
  const digits = minorUnitsOf(money.currency);
  const rounded = amountOf(money).toDecimalPlaces(digits, ExactDecimal.ROUND_HALF_EVEN);
  // A negative amount that rounds to zero prints as 0.00, not -0.00.
  return `${(rounded.isZero() ? rounded.abs() : rounded).toFixed(digits)} ${money.currency}`;
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare');
  const order = amountOf(a).comparedTo(amountOf(b));
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}
