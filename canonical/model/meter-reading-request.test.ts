import { describe, expect, it } from 'vitest';
import { MeterReadingRequestSchema } from './meter-reading-request.js';

describe('on-demand read request', () => {
  it('needs at least one meter and well-formed ReadingTypes', () => {
    const meters = [{ name: '81234567', nameType: 'multispeak:meterNo' }];
    expect(MeterReadingRequestSchema.safeParse({ meters, readingTypes: [] }).success).toBe(true);
    expect(MeterReadingRequestSchema.safeParse({ meters: [], readingTypes: [] }).success).toBe(false);
    expect(MeterReadingRequestSchema.safeParse({ meters, readingTypes: ['0.0.0.1.1.1.12'] }).success).toBe(false);
  });
});
