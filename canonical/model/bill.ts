/**
 * A bill summary: what a CIS issued to an account for one period, enough for ERP posting and for
 * customer notifications. Line-level rating stays in the CIS.
 */
import { z } from 'zod';
import { MoneySchema } from '../money.js';
import { QuantitySchema } from '../units.js';
import { InstantSchema, LocalDateSchema } from '../time.js';
import { identifiedObjectShape, ReferenceSchema } from './identity.js';

export const BillLineSchema = z.strictObject({
  description: z.string().min(1),
  amount: MoneySchema,
  quantity: QuantitySchema.optional(),
  usagePoint: ReferenceSchema.optional(),
});
export type BillLine = z.infer<typeof BillLineSchema>;

export const BillSchema = z
  .strictObject({
    ...identifiedObjectShape,
    account: ReferenceSchema,
    billNumber: z.string().min(1).optional(),
    issuedAt: InstantSchema,
    /** The billed period as local dates of the account's zone, both inclusive. */
    periodStart: LocalDateSchema,
    periodEnd: LocalDateSchema,
    dueDate: LocalDateSchema,
    previousBalance: MoneySchema.optional(),
    currentCharges: MoneySchema,
    amountDue: MoneySchema,
    lines: z.array(BillLineSchema),
  })
  .superRefine((bill, ctx) => {
    if (bill.periodEnd < bill.periodStart) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'periodEnd is before periodStart' });
    const currency = bill.amountDue.currency;
    const amounts: { path: (string | number)[]; currency: string }[] = [
      { path: ['currentCharges', 'currency'], currency: bill.currentCharges.currency },
      ...(bill.previousBalance === undefined ? [] : [{ path: ['previousBalance', 'currency'], currency: bill.previousBalance.currency }]),
      ...bill.lines.map((line, index) => ({ path: ['lines', index, 'amount', 'currency'], currency: line.amount.currency })),
    ];
    for (const amount of amounts) {
      if (amount.currency !== currency) ctx.addIssue({ code: 'custom', path: amount.path, message: `expected ${currency} like amountDue` });
    }
  });
export type Bill = z.infer<typeof BillSchema>;
