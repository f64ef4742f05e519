import { describe, expect, it } from 'vitest';
import { ReadingTypeCodes } from '../../canonical/reading-type.js';
import { cmepStamp, cmepText } from './cmep-export.js';
import { parseCmepExportInput } from './cmep-parameters.js';
import { exportableUnits, readingTypesOfUnits } from './cmep-units.js';

const JAN = { from: '2024-01-01', to: '2024-02-01' };

describe('MEPMD01 export parameters', () => {
  it('reads the defaults: every usage point, every interval unit, both qualities, multiplied values, as stored', () => {
    const request = parseCmepExportInput(JAN);
    if ('problem' in request) throw new Error(request.problem);
    expect(request).toMatchObject({ fromDate: '2024-01-01', toDate: '2024-02-01', population: { kind: 'all' }, quality: 'both', values: 'multiplied' });
    expect(request.intervalMinutes).toBeUndefined();
    expect(request.readingTypes.get(ReadingTypeCodes.IntervalKwhForward15Min)).toBe('KWH');
    expect([...new Set(request.readingTypes.values())]).toEqual(exportableUnits());
  });

  it('reads usage points, a rate class, units in any case, a quality, a value mode and an interval', () => {
    expect(parseCmepExportInput({ ...JAN, usagePoints: [' UP-1 ', 'UP-2'], units: 'kwh, KVARH', quality: 'estimated', values: 'raw', interval: '60' })).toMatchObject({
      population: { kind: 'usagePoints', usagePoints: ['UP-1', 'UP-2'] },
      quality: 'estimated',
      values: 'raw',
      intervalMinutes: 60,
    });
    const units = parseCmepExportInput({ ...JAN, rateClass: 'RES', units: 'GKWH' });
    if ('problem' in units) throw new Error(units.problem);
    expect(units.population).toEqual({ kind: 'rateClass', rateClass: 'RES' });
    expect(new Set(units.readingTypes.values())).toEqual(new Set(['GKWH']));
    expect(units.readingTypes.has('0.0.2.4.19.1.12.0.0.0.0.0.0.0.0.3.72.0')).toBe(true);
  });

  it('names the parameter and what it must be', () => {
    const cases: Array<[Parameters<typeof parseCmepExportInput>[0], string, RegExp]> = [
      [{ ...JAN, from: '2024-1-1' }, 'from', /^must be a local date YYYY-MM-DD, got "2024-1-1"$/],
      [{ ...JAN, to: '2024-02-30' }, 'to', /^must be a local date/],
      [{ ...JAN, to: '2024-01-01' }, 'to', /^must be after from \(it is the first local day not exported\)/],
      [{ ...JAN, usagePoints: ['UP-1'], rateClass: 'RES' }, 'rateClass', /^cannot be combined with usage points/],
      [{ ...JAN, rateClass: ' ' }, 'rateClass', /^must not be empty$/],
      [{ ...JAN, units: ',' }, 'units', /^must name at least one CMEP unit/],
      [{ ...JAN, units: 'KWH,FOO' }, 'units', /^"FOO" is not a CMEP unit the export knows; use KWH, KVARH, /],
      [{ ...JAN, units: 'KWHREG' }, 'units', /^KWHREG is a register unit/],
      [{ ...JAN, quality: 'good' }, 'quality', /^must be actual, estimated or both, got "good"$/],
      [{ ...JAN, values: 'scaled' }, 'values', /^must be raw or multiplied, got "scaled"$/],
      [{ ...JAN, interval: '30' }, 'interval', /^must be 5, 15 or 60 \(minutes\), got "30"$/],
    ];
    for (const [input, parameter, problem] of cases) {
      const parsed = parseCmepExportInput(input);
      expect(parsed, JSON.stringify(input)).toMatchObject({ parameter });
      expect('problem' in parsed ? parsed.problem : '', JSON.stringify(input)).toMatch(problem);
    }
    expect(parseCmepExportInput({ from: '2024-01-01', to: '2025-01-02' }, { maxDays: 366 })).toEqual({ parameter: 'to', problem: 'must be at most 366 days after from, got 367 days; export in parts' });
  });

  it('maps a unit to its codes at every commodity and interval, and knows no register unit', () => {
    const codes = readingTypesOfUnits(['KWH']);
    if ('problem' in codes) throw new Error(codes.problem);
    expect(codes.get(ReadingTypeCodes.IntervalKwhForward60Min)).toBe('KWH');
    expect(codes.get('0.0.2.4.1.9.12.0.0.0.0.0.0.0.0.3.72.0')).toBe('KWH');
    expect(exportableUnits()).not.toContain('GASREG');
  });

  it('quotes a text field with a comma or edge blanks and stamps in UTC', () => {
    expect(cmepText('MTR-1')).toBe('MTR-1');
    expect(cmepText('Main St, 12')).toBe('"Main St, 12"');
    expect(cmepText(' padded')).toBe('" padded"');
    expect(cmepText('say "hi"\r\nnow')).toBe('"say ""hi"" now"');
    expect(cmepStamp(new Date('2024-01-04T07:30:59.999Z'))).toBe('202401040730');
  });
});
