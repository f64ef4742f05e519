import { describe, expect, it } from 'vitest';
import { InputError } from '../../canonical/errors.js';
import { QualityCodes } from '../../canonical/quality.js';
import { ReadingTypeCodes } from '../../canonical/reading-type.js';
import { type DayExportOptions, exportDay, type ServingMeter, type StoredDay } from './day-export.js';

const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
const KWH_60 = ReadingTypeCodes.IntervalKwhForward60Min;
const UP = { mRID: '0190a0e1-0000-7000-8000-00000000e001', name: 'UP-1', timeZone: 'America/Chicago', rateClass: 'RES' };
const V = QualityCodes.VALIDATED;
const E = QualityCodes.ESTIMATED;
const DAY_START = '2024-01-02T06:00:00.000Z';
const DAY_MILLIS = Date.parse(DAY_START);

/** A Chicago day of 96 quarter-hours of 0.25, all validated, with changes at given indexes. */
function day(changes: Record<number, [string | null, string[]]> = {}, count = 96): StoredDay {
  const values: (string | null)[] = new Array<string | null>(count).fill('0.25');
  const qualities: string[][] = values.map(() => [V]);
  for (const [index, [value, codes]] of Object.entries(changes)) {
    values[Number(index)] = value;
    qualities[Number(index)] = codes;
  }
  return { usagePoint: UP.mRID, readingType: KWH_15, localDate: '2024-01-02', version: 2, dayStart: DAY_START, intervalSeconds: 900, values, qualities };
}

const meter = (serialNumber: string, multiplier: string, validFrom: number, validTo?: number): ServingMeter => ({
  meter: `0190a0e1-0000-7000-8000-0000000${serialNumber.padStart(5, '0')}`,
  serialNumber,
  multiplier,
  validFrom,
  ...(validTo === undefined ? {} : { validTo }),
});

const asStored: DayExportOptions = { quality: 'both', values: 'raw', readingType: KWH_15 };
const hourly: DayExportOptions = { quality: 'both', values: 'raw', intervalSeconds: 3600, readingType: KWH_60 };

describe('exportDay', () => {
  it('passes the usual day through as one series: its vectors, start and version', () => {
    const stored = day();
    const [series, ...more] = exportDay(stored, UP, [], asStored);
    expect(more).toEqual([]);
    expect(series).toMatchObject({ usagePoint: UP, meter: null, multiplier: '1', readingType: KWH_15, storedReadingType: KWH_15, localDate: '2024-01-02', version: 2, start: DAY_START, intervalSeconds: 900 });
    expect(series?.values).toBe(stored.values);
  });

  it('multiplies by the meter in service, and leaves raw values alone', () => {
    const ct = [meter('M40', '40', Date.parse('2020-01-01T00:00:00Z'))];
    const [multiplied] = exportDay(day({ 3: [null, [QualityCodes.MISSING]] }), UP, ct, { ...asStored, values: 'multiplied' });
    expect(multiplied?.values.slice(0, 5)).toEqual(['10', '10', '10', null, '10']);
    expect(multiplied).toMatchObject({ meter: { serialNumber: 'M40' }, multiplier: '40' });
    const [raw] = exportDay(day(), UP, ct, asStored);
    expect(raw?.values[0]).toBe('0.25');
    expect(raw?.multiplier).toBe('40');
  });

  it('rolls quarter-hours up to hours: sums, estimated if a part is, missing if a part is', () => {
    const [series] = exportDay(day({ 1: ['1', [E]], 6: [null, [QualityCodes.MISSING]], 9: [null, []] }), UP, [], hourly);
    expect(series).toMatchObject({ readingType: KWH_60, storedReadingType: KWH_15, intervalSeconds: 3600, start: DAY_START });
    expect(series?.values.slice(0, 4)).toEqual(['1.75', null, null, '1']);
    expect(series?.qualities.slice(0, 4)).toEqual([[E], [QualityCodes.MISSING], [QualityCodes.MISSING], [V]]);
    expect(series?.values).toHaveLength(24);
  });

  it('rolls a 23-hour spring-forward day up to 23 hours', () => {
    const [series] = exportDay({ ...day({}, 92), localDate: '2024-03-10', dayStart: '2024-03-10T06:00:00.000Z' }, UP, [], hourly);
    expect(series?.values).toHaveLength(23);
  });

  it('keeps only estimated intervals, or only the others (gaps included), cutting the series where it drops some', () => {
    const stored = day({ 1: ['1', [E]], 6: [null, [QualityCodes.MISSING]], 20: ['2', [E]] });
    const estimated = exportDay(stored, UP, [], { ...hourly, quality: 'estimated' });
    expect(estimated.map((series) => [series.start, series.values])).toEqual([[DAY_START, ['1.75']], ['2024-01-02T11:00:00.000Z', ['2.75']]]);
    const actual = exportDay(stored, UP, [], { ...hourly, quality: 'actual' });
    expect(actual.map((series) => [series.start, series.values.length])).toEqual([['2024-01-02T07:00:00.000Z', 4], ['2024-01-02T12:00:00.000Z', 18]]);
    expect(actual[0]?.values[0]).toBeNull();
    const quarterHours = exportDay(stored, UP, [], { ...asStored, quality: 'estimated' });
    expect(quarterHours.map((series) => series.values)).toEqual([['1'], ['2']]);
  });

  it('cuts a day at a meter exchange, each part with its meter; an hour measured by both adds each part multiplied', () => {
    const exchange = DAY_MILLIS + 10 * 900_000; // 02:30 local: inside the third hour
    const meters = [meter('OLD', '2', Date.parse('2020-01-01T00:00:00Z'), exchange), meter('NEW', '4', exchange)];
    const quarterHours = exportDay(day(), UP, meters, { ...asStored, values: 'multiplied' });
    expect(quarterHours.map((series) => [series.meter?.serialNumber, series.start, series.values.length, series.values[0]])).toEqual([
      ['OLD', DAY_START, 10, '0.5'],
      ['NEW', '2024-01-02T08:30:00.000Z', 86, '1'],
    ]);
    const multiplied = exportDay(day(), UP, meters, { ...hourly, values: 'multiplied' });
    expect(multiplied.map((series) => [series.meter?.serialNumber, series.values.length])).toEqual([['OLD', 3], ['NEW', 21]]);
    // 02:00-03:00 local: two quarter-hours × 0.25 × 2 + two × 0.25 × 4, on the meter in service at 02:00.
    expect(multiplied[0]?.values[2]).toBe('3');
    const raw = exportDay(day(), UP, meters, hourly);
    expect(raw[0]?.values.slice(1, 3)).toEqual(['1', '1.5']);
  });

  it('refuses a finer interval than stored, and one that does not fill the day', () => {
    expect(() => exportDay(day(), UP, [], { ...asStored, intervalSeconds: 300 })).toThrow(InputError);
    expect(() => exportDay(day({}, 95), UP, [], hourly)).toThrow(/95 intervals of 900 s: not whole 3600 s intervals/);
  });
});
