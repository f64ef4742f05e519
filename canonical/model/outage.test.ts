import { describe, expect, it } from 'vitest';
import { OutageDetectedSchema, OutageDetectionRequestSchema, OutageRestoredSchema } from './outage.js';

const meter = { name: 'MTR001', nameType: 'multispeak:meterNo' };

describe('outage reports', () => {
  it('accepts a meter last-gasp report without an outage mRID', () => {
    const report = OutageDetectedSchema.parse({ meters: [meter], usagePoints: [], detectedBy: 'meter', endDeviceEventType: '3.26.0.47', startedAt: '2024-05-01T03:12:00Z' });
    expect(report.outage).toBeUndefined();
  });

  it('rejects a report that names nothing affected', () => {
    expect(OutageDetectedSchema.safeParse({ meters: [], usagePoints: [], detectedBy: 'scada', startedAt: '2024-05-01T03:12:00Z' }).success).toBe(false);
  });

  it('rejects a restoration before the outage began', () => {
    const restored = { meters: [meter], usagePoints: [], detectedBy: 'meter', restoredAt: '2024-05-01T04:40:00Z' };
    expect(OutageRestoredSchema.safeParse({ ...restored, startedAt: '2024-05-01T03:12:00Z' }).success).toBe(true);
    expect(OutageRestoredSchema.safeParse({ ...restored, startedAt: '2024-05-01T05:00:00Z' }).error?.issues[0]?.path).toEqual(['restoredAt']);
  });

  it('asks about at least one meter', () => {
    expect(OutageDetectionRequestSchema.safeParse({ meters: [] }).success).toBe(false);
    expect(OutageDetectionRequestSchema.safeParse({ meters: [meter] }).success).toBe(true);
  });
});
