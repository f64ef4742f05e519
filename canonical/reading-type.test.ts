import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import {
  Accumulation,
  engineeringValue,
  FlowDirection,
  formatReadingType,
  isReadingTypeCode,
  MeasuringPeriod,
  measuringPeriodSeconds,
  parseReadingType,
  ReadingTypeCodes,
  ReadingTypeCodeSchema,
  UnitMultiplier,
  UnitSymbol,
} from './reading-type.js';

describe('ReadingType (IEC 61968-9 Annex C, cim.md §2)', () => {
  it.each(Object.entries(ReadingTypeCodes))('%s parses to fields and formats back to the identical string', (_name, code) => {
    const parsed = parseReadingType(code);
    expect(parsed.raw).toBe(code);
    expect(formatReadingType(parsed)).toBe(code);
  });

  it('names the fields of the 15-minute kWh delivered code', () => {
    const rt = parseReadingType(ReadingTypeCodes.IntervalKwhForward15Min);
    expect(rt.measuringPeriod).toBe(MeasuringPeriod.FifteenMinute);
    expect(rt.accumulation).toBe(Accumulation.DeltaData);
    expect(rt.flowDirection).toBe(FlowDirection.Forward);
    expect(rt.multiplier).toBe(UnitMultiplier.Kilo);
    expect(rt.unit).toBe(UnitSymbol.Wh);
    expect(measuringPeriodSeconds(rt)).toBe(900);
  });

  it('reads the phase and unit of the 10-minute voltage code', () => {
    const rt = parseReadingType(ReadingTypeCodes.AverageVoltagePhaseA10Min);
    expect(rt.phases).toBe(128);
    expect(rt.unit).toBe(UnitSymbol.V);
    expect(rt.multiplier).toBe(0);
  });

  it('rejects 17 and 19 fields', () => {
    const seventeen = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72';
    const nineteen = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0.0';
    expect(() => parseReadingType(seventeen)).toThrow(InputError);
    expect(() => parseReadingType(seventeen)).toThrow(/expected 18 dot-separated fields, got 17/);
    expect(() => parseReadingType(nineteen)).toThrow(/got 19/);
    expect(ReadingTypeCodeSchema.safeParse(seventeen).success).toBe(false);
  });

  it('keeps the raw string on the error for quarantine', () => {
    const bad = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72';
    try {
      parseReadingType(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(error instanceof InputError ? error.raw : undefined).toBe(bad);
    }
  });

  it('accepts -3 (milli) in the multiplier', () => {
    const code = '0.0.0.6.0.1.54.0.0.0.0.0.0.0.128.-3.29.0';
    const rt = parseReadingType(code);
    expect(rt.multiplier).toBe(UnitMultiplier.Milli);
    expect(formatReadingType(rt)).toBe(code);
  });

  it('rejects a negative value where the field is unsigned, and non-canonical integers', () => {
    expect(() => parseReadingType('0.0.0.1.-1.1.12.0.0.0.0.0.0.0.0.3.72.0')).toThrow(/flowDirection/);
    expect(isReadingTypeCode('0.0.02.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0')).toBe(false);
    expect(isReadingTypeCode('0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.+3.72.0')).toBe(false);
    expect(isReadingTypeCode('0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.x')).toBe(false);
  });

  it('round-trips unknown field values numerically', () => {
    const code = '77.0.2.4.1.1.999.0.0.0.0.3.1.2.0.3.72.840';
    const rt = parseReadingType(code);
    expect(rt.macroPeriod).toBe(77);
    expect(rt.measurementKind).toBe(999);
    expect(rt.tou).toBe(3);
    expect(rt.currency).toBe(840);
    expect(formatReadingType(rt)).toBe(code);
  });

  it('computes engineering values as value × 10^multiplier', () => {
    const kwh = parseReadingType(ReadingTypeCodes.RegisterKwhForward);
    expect(engineeringValue('1234', { ...kwh, multiplier: 3 })).toEqual({ value: '1234000', unit: UnitSymbol.Wh });
    expect(engineeringValue('1234', { ...kwh, multiplier: -3 })).toEqual({ value: '1.234', unit: UnitSymbol.Wh });
  });

  it('leaves CT ratios out of the engineering value (cim.md §11 case 2)', () => {
    const wh = { ...parseReadingType(ReadingTypeCodes.RegisterKwhForward), multiplier: 0 };
    expect(engineeringValue('1234', wh).value).toBe('1234');
  });
});
