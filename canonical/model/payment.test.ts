import { describe, expect, it } from 'vitest';
import { PaymentSchema } from './payment.js';

const payment = {
  mRID: '0190a0e1-0000-7000-8000-000000000009',
  account: { name: 'A-2002', nameType: 'cis:accountNumber' },
  amount: { amount: '84.12', currency: 'USD' },
  receivedAt: '2024-05-02T10:00:00Z',
  method: 'lockbox',
};

describe('Payment', () => {
  it('accepts a positive decimal amount with an ISO 4217 currency', () => {
    expect(PaymentSchema.parse(payment).amount).toEqual({ amount: '84.12', currency: 'USD' });
  });

  it('rejects zero, negative, float and unknown-currency amounts', () => {
    expect(PaymentSchema.safeParse({ ...payment, amount: { amount: '0.00', currency: 'USD' } }).success).toBe(false);
    expect(PaymentSchema.safeParse({ ...payment, amount: { amount: '-5', currency: 'USD' } }).success).toBe(false);
    expect(PaymentSchema.safeParse({ ...payment, amount: { amount: 84.12, currency: 'USD' } }).success).toBe(false);
    expect(PaymentSchema.safeParse({ ...payment, amount: { amount: '84.12', currency: 'XYZ' } }).success).toBe(false);
  });
});
