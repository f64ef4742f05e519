/**
 * Decimal strings: how every measured value and amount travels in the canonical model. A JS
 * number cannot hold 0.1 exactly, so values stay strings on the wire (cim.md §3: "Values are
 * decimal strings, to avoid binary float drift") and become decimal.js numbers only to compute.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { InputError } from './errors.js';

/**
 * The decimal.js context used for all canonical arithmetic: 60 significant digits, so that sums
 * and products of meter values and money are exact, and only a non-terminating quotient (m³ to
 * ft³) is rounded, half-even, far beyond any meter's resolution.
 */
export const ExactDecimal = Decimal.clone({
  precision: 60,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -60,
  toExpPos: 60,
});

/** Plain decimal notation only: no exponent, no '+', no thousands separator. */
const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;
const EXPECTED = 'expected decimal string';

export const DecimalStringSchema = z
  .string({ error: EXPECTED })
  .regex(DECIMAL_STRING, { error: EXPECTED });
export type DecimalString = z.infer<typeof DecimalStringSchema>;

export function isDecimalString(text: string): boolean {
  return DECIMAL_STRING.test(text);
}

/** Parses a decimal string; a JS number is refused because its decimal value is already lost. */
export function parseDecimal(text: string, field = 'value'): Decimal {
  if (typeof text !== 'string' || !DECIMAL_STRING.test(text)) {
    throw new InputError(`${field}: ${EXPECTED}, got ${JSON.stringify(text)}`, { field });
  }
  return new ExactDecimal(text);
}

/** Renders without exponent and without trailing zeros ('1.50' → '1.5', 1e-7 → '0.0000001'). */
export function toDecimalString(value: Decimal): string {
  if (!value.isFinite()) throw new InputError(`not a finite decimal: ${value.toString()}`);
  const text = value.toFixed();
  return text === '-0' ? '0' : text;
}
