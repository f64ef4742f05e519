import { describe, expect, it } from 'vitest';
import { BillingDeterminantsRequestSchema, BillingDeterminantsSchema } from './billing-determinants.js';

const period = { usagePoint: { mRID: '0190a0e1-0000-7000-8000-000000000001' }, periodStart: '2024-04-01T04:00:00Z', periodEnd: '2024-05-01T04:00:00Z' };

describe('billing determinants', () => {
  it('requests determinants for an ordered period only', () => {
    expect(BillingDeterminantsRequestSchema.safeParse({ ...period, readingTypes: [] }).success).toBe(true);
    expect(BillingDeterminantsRequestSchema.safeParse({ ...period, periodEnd: period.periodStart, readingTypes: [] }).success).toBe(false);
  });

  it('carries quantities with units and counts of estimated and missing intervals', () => {
    const computed = BillingDeterminantsSchema.parse({
      ...period,
      complete: false,
      determinants: [{ name: 'ccf-total', quantity: { value: '18.4', unit: 'CCF' }, estimatedIntervals: 0, missingIntervals: 2 }],
    });
    expect(computed.determinants[0]?.missingIntervals).toBe(2);
    expect(BillingDeterminantsSchema.safeParse({ ...period, complete: true, determinants: [{ name: 'x', quantity: { value: '1', unit: 'CCF' }, estimatedIntervals: -1, missingIntervals: 0 }] }).success).toBe(false);
  });
});
