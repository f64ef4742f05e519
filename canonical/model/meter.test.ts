import { describe, expect, it } from 'vitest';
import { engineeringValue, parseReadingType } from '../reading-type.js';
import { applyMeterMultipliers, meterMultiplierOf, MeterSchema } from './meter.js';

const meter = {
  mRID: '0190a0e1-0000-7000-8000-000000000006',
  names: [{ name: '81234567', nameType: 'multispeak:meterNo' }],
  serialNumber: '81234567',
  commodity: 'electric',
  multipliers: [{ kind: 'ctRatio', value: '40' }, { kind: 'ptRatio', value: '1' }],
  registers: [{ readingType: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0', leftDigitCount: 5, rightDigitCount: 0 }],
};

describe('Meter', () => {
  it('parses a meter with registers and multipliers', () => {
    const parsed = MeterSchema.parse(meter);
    expect(parsed.registers[0]?.leftDigitCount).toBe(5);
    expect(meterMultiplierOf(parsed.multipliers, 'ctRatio')).toBe('40');
    expect(meterMultiplierOf(parsed.multipliers, 'kH')).toBeUndefined();
  });

  it('applies a CT ratio of 40 separately from the ReadingType multiplier (cim.md §11 case 2)', () => {
    const parsed = MeterSchema.parse(meter);
    const readingType = parseReadingType(parsed.registers[0]?.readingType ?? '');
    const engineering = engineeringValue('1234', readingType);
    expect(engineering.value).toBe('1234');
    expect(applyMeterMultipliers(engineering.value, parsed.multipliers, ['ctRatio', 'ptRatio'])).toBe('49360');
    expect(applyMeterMultipliers('1234', parsed.multipliers, [])).toBe('1234');
  });

  it('rejects a duplicate multiplier kind, an unknown kind and a float multiplier', () => {
    expect(MeterSchema.safeParse({ ...meter, multipliers: [...meter.multipliers, { kind: 'ctRatio', value: '80' }] }).error?.issues[0]?.message).toBe(
      'duplicate multiplier kind ctRatio',
    );
    expect(MeterSchema.safeParse({ ...meter, multipliers: [{ kind: 'ratio', value: '1' }] }).success).toBe(false);
    expect(MeterSchema.safeParse({ ...meter, multipliers: [{ kind: 'kH', value: 7.2 }] }).success).toBe(false);
  });

  it('rejects a register without digit counts or with a 17-field ReadingType', () => {
    expect(MeterSchema.safeParse({ ...meter, registers: [{ readingType: meter.registers[0]?.readingType }] }).success).toBe(false);
    expect(MeterSchema.safeParse({ ...meter, registers: [{ ...meter.registers[0], readingType: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.72.0' }] }).success).toBe(false);
  });
});
