import { describe, expect, it } from 'vitest';
import { QualityCodes, type IntervalBlock } from '../../canonical/index.js';
import { createLineParser } from './codec.js';
import { mapRecords } from './mapping.js';
import type { CmepRecord } from './records.js';
import { parseProfile } from './spec.js';
import { writeMepmd01 } from './writer.js';

const profile = parseProfile({ source: 'feedA' });
const options = { profile, senderId: 'BUSBAR', receiverId: 'UTIL', createdAt: '202401030600' };

function readBack(lines: string[], timeZone = 'UTC'): IntervalBlock[] {
  const zoned = parseProfile({ source: 'feedA', timeZone });
  const parse = createLineParser(zoned);
  const records = lines.flatMap((line, index): CmepRecord[] => {
    const record = parse(line, index + 1);
    return record === undefined || record.type === 'skipped' ? [] : [record];
  });
  return mapRecords(records, zoned).blocks;
}

function dayBlock(): IntervalBlock {
  const values = Array.from({ length: 96 }, (_, index) => (index === 10 ? null : `${(index % 7) + 0.25}`));
  return {
    meter: { name: 'MTR001', nameType: 'cmep:feedA/meterId' },
    readingType: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
    start: '2024-01-02T00:00:00.000Z',
    intervalSeconds: 900,
    values,
    qualities: values.map((value, index) => (value === null ? [QualityCodes.MISSING] : index === 20 ? [QualityCodes.ESTIMATED] : [QualityCodes.VALIDATED])),
    sourceStatuses: values.map((value, index) => (value === null ? 'N' : index === 20 ? 'E' : index === 30 ? null : null)),
    source: 'cmep:feedA',
  };
}

describe('MEPMD01 writer', () => {
  it('writes 48 triplets per row with interval-end stamps, the last one D+1 0000', () => {
    const lines = writeMepmd01([dayBlock()], options);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.startsWith('MEPMD01,19970819,BUSBAR,,UTIL,,202401030600,MTR001,OK,E,KWH,1,00000015,48,202401020015,,0.25,,,1.25')).toBe(true);
    expect(lines[1]).toContain(',00000015,48,202401021215,');
    expect(lines[0]?.split(',')).toHaveLength(14 + 3 * 48);
  });

  it('round trip: write → parse → the same block', () => {
    const block = dayBlock();
    expect(readBack(writeMepmd01([block], options))).toEqual([block]);
  });

  it('round trip in a local zone across the fall-back day', () => {
    const values = Array.from({ length: 100 }, (_, index) => String(index));
    const block: IntervalBlock = {
      meter: { name: 'M', nameType: 'cmep:feedA/meterId' },
      readingType: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
      start: '2024-11-03T07:00:00.000Z',
      intervalSeconds: 900,
      values,
      qualities: values.map(() => [QualityCodes.VALIDATED]),
      sourceStatuses: values.map(() => null),
      source: 'cmep:feedA',
    };
    const lines = writeMepmd01([block], { ...options, timeZone: 'America/Los_Angeles' });
    expect(lines[0]).toContain(',202411030015,');
    expect(readBack(lines, 'America/Los_Angeles')).toEqual([block]);
  });

  it('filters estimated/actual, a date range, and rolls 15 minutes up to 60', () => {
    const estimated = writeMepmd01([dayBlock()], { ...options, filter: 'estimated' });
    expect(estimated).toEqual([expect.stringMatching(/,1,202401020515,E,6\.25$/)]);
    const ranged = writeMepmd01([dayBlock()], { ...options, from: '2024-01-02T00:00:00Z', to: '2024-01-02T01:00:00Z' });
    expect(ranged[0]).toMatch(/,00000015,4,/);
    const hourly = writeMepmd01([dayBlock()], { ...options, rollUpSeconds: 3600 });
    expect(hourly).toHaveLength(1);
    expect(hourly[0]).toMatch(/,00000100,24,202401020100,,7,/);
    expect(hourly[0]?.split(',').slice(20, 23)).toEqual(['', 'N', '']);
  });

  it('raw mode divides by the calculation constant, and reading multiplies back', () => {
    const lines = writeMepmd01([dayBlock()], { ...options, values: { mode: 'raw', calculationConstant: '0.5' } });
    expect(lines[0]).toMatch(/,0\.5,00000015,48,202401020015,,0\.5,/);
    expect(readBack(lines)[0]?.values.slice(0, 3)).toEqual(['0.25', '1.25', '2.25']);
  });
});
