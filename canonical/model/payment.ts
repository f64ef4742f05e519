/**
 * A payment received against an account (IEC 61968-10 payment metering Transaction/Receipt, as
 * used by a CIS). Money is a decimal string with its ISO 4217 currency.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../decimal.js';
import { CurrencyCodeSchema } from '../money.js';
import { InstantSchema } from '../time.js';
import { identifiedObjectShape, ReferenceSchema } from './identity.js';

export const PaymentMethodSchema = z.enum(['cash', 'check', 'card', 'ach', 'bankTransfer', 'lockbox', 'online', 'other']);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const PaymentSchema = z.strictObject({
  ...identifiedObjectShape,
  account: ReferenceSchema,
  amount: z.strictObject({
    amount: DecimalStringSchema.refine((text) => !text.startsWith('-') && /[1-9]/.test(text), { error: 'a payment amount must be positive' }),
    currency: CurrencyCodeSchema,
  }),
  receivedAt: InstantSchema,
  method: PaymentMethodSchema,
  /** The bank's or processor's reference, used to de-duplicate re-sent payment files. */
  externalReference: z.string().min(1).optional(),
});
export type Payment = z.infer<typeof PaymentSchema>;
