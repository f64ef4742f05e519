import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import {
  formatQualityCode,
  hasQualityCategory,
  parseQualityCode,
  QualityCategory,
  QualityCodes,
  qualityCodesFromEspi,
  QualityCodeSchema,
  QualitySystem,
} from './quality.js';

describe('ReadingQuality codes (IEC 61968-9 Annex D, cim.md §4)', () => {
  it('parses 3.8.1 to (MDM, estimated, 1)', () => {
    const code = parseQualityCode('3.8.1');
    expect(code.systemId).toBe(QualitySystem.MeterDataManagement);
    expect(code.category).toBe(QualityCategory.Estimated);
    expect(code.subCategory).toBe(1);
    expect(code.raw).toBe('3.8.1');
  });

  it.each(Object.entries(QualityCodes))('%s round-trips', (_name, code) => {
    expect(formatQualityCode(parseQualityCode(code))).toBe(code);
  });

  it('has the named constants the MDM relies on', () => {
    expect(QualityCodes.VALIDATED).toBe('3.0.1');
    expect(QualityCodes.ESTIMATED).toBe('3.8.1');
    expect(QualityCodes.EDITED).toBe('3.7.1');
    expect(QualityCodes.MISSING).toBe('2.5.259');
    expect(QualityCodes.SUSPECT).toBe('2.5.258');
  });

  it('rejects codes that are not three integers', () => {
    expect(() => parseQualityCode('3.8')).toThrow(InputError);
    expect(() => parseQualityCode('3.8.1.0')).toThrow(InputError);
    expect(QualityCodeSchema.safeParse('E').success).toBe(false);
  });

  it('keeps several qualities on one reading and finds them by category', () => {
    const qualities = [QualityCodes.POWER_FAIL, QualityCodes.ESTIMATED];
    expect(QualityCodeSchema.array().parse(qualities)).toEqual(['1.2.32', '3.8.1']);
    expect(hasQualityCategory(qualities, QualityCategory.Estimated)).toBe(true);
    expect(hasQualityCategory(qualities, QualityCategory.Edited)).toBe(false);
  });

  it('maps ESPI quality 8 to an estimated CIM code through the table, not literally', () => {
    const codes = qualityCodesFromEspi(8);
    expect(codes).toEqual([QualityCodes.ESTIMATED]);
    expect(codes.map(parseQualityCode).every((code) => code.category === QualityCategory.Estimated)).toBe(true);
    expect(qualityCodesFromEspi(17)).toEqual([QualityCodes.VALIDATED]);
    expect(qualityCodesFromEspi(14)).toEqual([]);
  });

  it('refuses an ESPI value with no mapping', () => {
    expect(() => qualityCodesFromEspi(99)).toThrow(/no CIM mapping/);
  });
});
