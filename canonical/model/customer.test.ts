import { describe, expect, it } from 'vitest';
import { CustomerAccountSchema, CustomerSchema } from './customer.js';

describe('Customer and CustomerAccount (IEC 61968-8)', () => {
  it('accepts a customer of a CIM CustomerKind and refuses other kinds', () => {
    const customer = { mRID: '0190a0e1-0000-7000-8000-000000000004', kind: 'commercialIndustrial', vip: true };
    expect(CustomerSchema.parse(customer).kind).toBe('commercialIndustrial');
    expect(CustomerSchema.safeParse({ ...customer, kind: 'business' }).success).toBe(false);
  });

  it('links an account to its customer and keeps the last bill as money', () => {
    const account = { mRID: '0190a0e1-0000-7000-8000-000000000002', customer: { mRID: '0190a0e1-0000-7000-8000-000000000004' }, lastBillAmount: { amount: '84.12', currency: 'USD' } };
    expect(CustomerAccountSchema.parse(account).lastBillAmount?.amount).toBe('84.12');
    expect(CustomerAccountSchema.safeParse({ ...account, lastBillAmount: { amount: 84.12, currency: 'USD' } }).success).toBe(false);
    expect(CustomerAccountSchema.safeParse({ ...account, customer: undefined }).success).toBe(false);
  });
});
