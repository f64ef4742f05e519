import { describe, expect, it } from 'vitest';
import { FeederSchema, TransformerLinkSchema, TransformerSchema } from './network.js';

describe('network assets', () => {
  it('accepts a feeder and a transformer on it with decimal ratings', () => {
    expect(FeederSchema.parse({ mRID: '0190a0e1-0000-7000-8000-00000000000b', nominalVoltageKv: '12.47' }).nominalVoltageKv).toBe('12.47');
    expect(TransformerSchema.safeParse({ mRID: '0190a0e1-0000-7000-8000-00000000000c', ratedKva: 25 }).success).toBe(false);
  });

  it('links a usage point to a transformer for an ordered validity interval', () => {
    const link = { usagePoint: { mRID: '0190a0e1-0000-7000-8000-000000000001' }, transformer: { name: 'T-889', nameType: 'gis:facilityId' }, validFrom: '2024-01-01T00:00:00Z' };
    expect(TransformerLinkSchema.safeParse(link).success).toBe(true);
    expect(TransformerLinkSchema.safeParse({ ...link, validTo: '2023-12-31T00:00:00Z' }).success).toBe(false);
  });
});
