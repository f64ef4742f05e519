import { describe, expect, it } from 'vitest';
import { ExactDecimal } from './decimal.js';
import { InputError } from './errors.js';
import { parseReadingType, ReadingTypeCodes } from './reading-type.js';
import { convert, convertQuantity, gasVolumeToEnergy, readingTypeUnitOf, unitFromReadingType, UNIT_NAMES } from './units.js';

describe('unit conversions', () => {
  it('converts electric energy and power within their dimension', () => {
    expect(convert('1.5', 'kWh', 'Wh')).toBe('1500');
    expect(convert('2500', 'kWh', 'MWh')).toBe('2.5');
    expect(convert('750', 'W', 'kW')).toBe('0.75');
    expect(convert('1', 'kVArh', 'VArh')).toBe('1000');
    expect(convert('1', 'kVAh', 'VAh')).toBe('1000');
    expect(convertQuantity({ value: '3', unit: 'kVAr' }, 'VAr')).toEqual({ value: '3000', unit: 'VAr' });
  });

  it('has 1 CCF = 100 ft³ and 1 MCF = 10 CCF', () => {
    expect(convert('1', 'CCF', 'ft3')).toBe('100');
    expect(convert('1', 'MCF', 'CCF')).toBe('10');
  });

  it('has 1 m³ = 35.3146667 ft³ (to 7 places)', () => {
    const ft3 = convert('1', 'm3', 'ft3');
    expect(ft3.startsWith('35.3146667214')).toBe(true);
    expect(convert('1', 'ft3', 'm3')).toBe('0.028316846592');
  });

  it('converts gallons and cubic feet (1 ft³ = 1728/231 gal)', () => {
    expect(convert('231', 'ft3', 'gal')).toBe('1728');
    expect(convert('1728', 'gal', 'ft3')).toBe('231');
    expect(convert('1', 'gal', 'm3')).toBe('0.003785411784');
  });

  it('round-trips through a non-terminating factor within the precision', () => {
    const back = convert(convert('12.345', 'm3', 'gal'), 'gal', 'm3');
    expect(new ExactDecimal(back).toDecimalPlaces(50).toFixed()).toBe('12.345');
  });

  it('refuses to convert between dimensions', () => {
    expect(() => convert('1', 'kWh', 'm3')).toThrow(InputError);
    expect(() => convert('1', 'kWh', 'kVArh')).toThrow(/energy.*reactiveEnergy/);
    expect(() => convert('1', 'kW', 'kWh')).toThrow(InputError);
  });

  it('turns gas volume into energy only through an explicit heat content', () => {
    const heat = { value: '1000', energyUnit: 'BTU' as const, perVolumeUnit: 'ft3' as const };
    expect(gasVolumeToEnergy('1', 'CCF', heat, 'BTU')).toBe('100000');
    expect(gasVolumeToEnergy('1', 'CCF', heat, 'therm')).toBe('1');
    const thermFactor = { value: '1.037', energyUnit: 'therm' as const, perVolumeUnit: 'CCF' as const };
    expect(gasVolumeToEnergy('42', 'CCF', thermFactor, 'therm')).toBe('43.554');
  });

  it('refuses a heat content that is not energy per volume, or not positive', () => {
    expect(() => gasVolumeToEnergy('1', 'kWh', { value: '1000', energyUnit: 'BTU', perVolumeUnit: 'ft3' }, 'therm')).toThrow(InputError);
    expect(() => gasVolumeToEnergy('1', 'CCF', { value: '1000', energyUnit: 'm3', perVolumeUnit: 'ft3' }, 'therm')).toThrow(InputError);
    expect(() => gasVolumeToEnergy('1', 'CCF', { value: '0', energyUnit: 'BTU', perVolumeUnit: 'ft3' }, 'therm')).toThrow(/positive/);
  });

  it('has 1 therm = 100 000 BTU', () => {
    expect(convert('1', 'therm', 'BTU')).toBe('100000');
  });

  it('refuses float-like input', () => {
    expect(() => convert('1e3', 'kWh', 'Wh')).toThrow(/decimal string/);
  });
});

describe('units ⇄ ReadingType fields 16/17', () => {
  it('maps kWh to unit 72 with multiplier 3 and back', () => {
    expect(readingTypeUnitOf('kWh')).toEqual({ unit: 72, multiplier: 3 });
    expect(unitFromReadingType(parseReadingType(ReadingTypeCodes.IntervalKwhForward15Min))).toBe('kWh');
    expect(unitFromReadingType(parseReadingType(ReadingTypeCodes.BulkKvarhForward60Min))).toBe('kVArh');
    expect(unitFromReadingType(parseReadingType(ReadingTypeCodes.AverageVoltagePhaseA10Min))).toBe('V');
  });

  it('maps every unit that has a code back to itself', () => {
    for (const unit of UNIT_NAMES) {
      const fields = readingTypeUnitOf(unit);
      if (fields !== undefined) expect(unitFromReadingType(fields)).toBe(unit);
    }
    expect(readingTypeUnitOf('gal')).toBeUndefined();
    expect(unitFromReadingType({ unit: 9999, multiplier: 0 })).toBeUndefined();
  });
});
