import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../quality.js';
import { ReadingTypeCodes } from '../reading-type.js';
import { RegisterReadSchema } from './register-read.js';

const read = {
  meter: { name: 'MTR001', nameType: 'cmep:feedA/meterId' },
  readingType: ReadingTypeCodes.RegisterKwhForward,
  timeStamp: '2024-01-02T00:02:00Z',
  value: '10432.7',
  qualities: [],
};

describe('RegisterRead', () => {
  it('accepts a register snapshot with a decimal string value', () => {
    expect(RegisterReadSchema.parse(read).value).toBe('10432.7');
  });

  it('carries a missing value as null with the missing quality, never 0', () => {
    const missing = RegisterReadSchema.parse({ ...read, value: null, qualities: [QualityCodes.MISSING], sourceStatus: 'N32' });
    expect(missing.value).toBeNull();
    expect(missing.sourceStatus).toBe('N32');
  });

  it('rejects a numeric value and an unknown reason', () => {
    expect(RegisterReadSchema.safeParse({ ...read, value: 10432.7 }).error?.issues[0]?.message).toBe('expected decimal string');
    expect(RegisterReadSchema.safeParse({ ...read, reason: 'because' }).success).toBe(false);
  });
});
