import { describe, expect, it } from 'vitest';
import { MeterAssignmentSchema, UsagePointSchema } from './usage-point.js';

const usagePoint = {
  mRID: '0190a0e1-0000-7000-8000-000000000001',
  names: [{ name: 'SP-778', nameType: 'cis:servicePoint' }],
  commodity: 'water',
  rateClass: 'W-RES',
  billingCycle: '07',
  timeZone: 'America/Los_Angeles',
  connectionState: 'connected',
};

describe('UsagePoint', () => {
  it('accepts an electric, water or gas usage point with an IANA zone', () => {
    expect(UsagePointSchema.parse(usagePoint).commodity).toBe('water');
    expect(UsagePointSchema.safeParse({ ...usagePoint, commodity: 'steam' }).success).toBe(false);
  });

  it('rejects a time zone luxon does not know and an unknown connection state', () => {
    expect(UsagePointSchema.safeParse({ ...usagePoint, timeZone: 'PST8PDT-ish' }).success).toBe(false);
    expect(UsagePointSchema.safeParse({ ...usagePoint, connectionState: 'off' }).success).toBe(false);
  });

  it('rejects an mRID that is not a UUID', () => {
    expect(UsagePointSchema.safeParse({ ...usagePoint, mRID: 'up-123' }).error?.issues[0]?.message).toBe('expected mRID (UUID)');
  });

  it('keeps meter assignments ordered in time', () => {
    const assignment = {
      meter: { name: 'MTR001', nameType: 'cmep:feedA/meterId' },
      usagePoint: { mRID: usagePoint.mRID },
      validFrom: '2024-01-01T00:00:00Z',
    };
    expect(MeterAssignmentSchema.safeParse({ ...assignment, validTo: '2024-05-01T14:00:00Z' }).success).toBe(true);
    expect(MeterAssignmentSchema.safeParse({ ...assignment, validTo: '2023-05-01T14:00:00Z' }).success).toBe(false);
  });
});
