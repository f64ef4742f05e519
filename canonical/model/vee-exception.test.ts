import { describe, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../reading-type.js';
import { VeeExceptionSchema } from './vee-exception.js';

describe('VEE exception', () => {
  const exception = {
    usagePoint: { mRID: '0190a0e1-0000-7000-8000-000000000001' },
    readingType: ReadingTypeCodes.IntervalKwhForward15Min,
    rule: 'spike',
    severity: 'warning',
    periodStart: '2024-04-03T10:00:00Z',
    periodEnd: '2024-04-03T10:15:00Z',
    message: 'spike',
  };

  it('accepts a flagged span and refuses an empty or reversed one', () => {
    expect(VeeExceptionSchema.safeParse(exception).success).toBe(true);
    expect(VeeExceptionSchema.safeParse({ ...exception, periodEnd: exception.periodStart }).success).toBe(false);
    expect(VeeExceptionSchema.safeParse({ ...exception, severity: 'fatal' }).success).toBe(false);
  });
});
