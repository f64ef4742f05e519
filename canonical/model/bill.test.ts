import { describe, expect, it } from 'vitest';
import { BillSchema } from './bill.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });
const bill = {
  mRID: '0190a0e1-0000-7000-8000-00000000000a',
  account: { mRID: '0190a0e1-0000-7000-8000-000000000002' },
  issuedAt: '2024-05-03T06:00:00Z',
  periodStart: '2024-04-01',
  periodEnd: '2024-04-30',
  dueDate: '2024-05-24',
  currentCharges: usd('84.12'),
  amountDue: usd('84.12'),
  lines: [{ description: 'Energy', amount: usd('84.12'), quantity: { value: '612', unit: 'kWh' } }],
};

describe('Bill summary', () => {
  it('accepts a bill whose amounts share one currency', () => {
    expect(BillSchema.parse(bill).lines[0]?.quantity).toEqual({ value: '612', unit: 'kWh' });
  });

  it('rejects a line in another currency, naming it', () => {
    const result = BillSchema.safeParse({ ...bill, lines: [{ description: 'Energy', amount: { amount: '1', currency: 'CAD' } }] });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['lines.0.amount.currency']);
  });

  it('rejects a period that ends before it starts and an unknown unit', () => {
    expect(BillSchema.safeParse({ ...bill, periodEnd: '2024-03-31' }).success).toBe(false);
    expect(BillSchema.safeParse({ ...bill, lines: [{ ...bill.lines[0], quantity: { value: '1', unit: 'kwh' } }] }).success).toBe(false);
  });
});
