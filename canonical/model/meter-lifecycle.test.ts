import { describe, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../reading-type.js';
import { MeterExchangedSchema } from './meter-lifecycle.js';

describe('meter exchange', () => {
  const usagePoint = { mRID: '0190a0e1-0000-7000-8000-000000000001' };
  const oldMeter = { name: 'MTR001', nameType: 'erp:serial' };
  const newMeter = { name: 'MTR002', nameType: 'erp:serial' };
  const read = (meter: typeof oldMeter, value: string, reason: 'removal' | 'installation') => ({
    meter,
    usagePoint,
    readingType: ReadingTypeCodes.RegisterKwhForward,
    timeStamp: '2024-05-01T14:10:00Z',
    value,
    qualities: [],
    reason,
  });

  it('keeps both meters on one usage point with the final and initial reads', () => {
    const exchange = MeterExchangedSchema.parse({
      usagePoint,
      oldMeter,
      newMeter,
      exchangedAt: '2024-05-01T14:10:00Z',
      finalReads: [read(oldMeter, '10432.7', 'removal')],
      initialReads: [read(newMeter, '0', 'installation')],
    });
    expect(exchange.finalReads[0]?.usagePoint).toEqual(exchange.initialReads[0]?.usagePoint);
    expect(exchange.finalReads[0]?.value).toBe('10432.7');
    expect(MeterExchangedSchema.safeParse({ ...exchange, newMeter: undefined }).success).toBe(false);
  });
});
