import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IntervalBlockSchema, QualityCodes, ReadingTypeCodes, RegisterReadSchema } from '../../canonical/index.js';
import { createLineParser } from './codec.js';
import { CmepMapper, mapRecords, meterDraftOf } from './mapping.js';
import type { CmepRecord } from './records.js';
import { parseProfile, type CmepProfileInput } from './spec.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'latin1');

function recordsOf(lines: string[], profile = parseProfile({ source: 'feedA' })): CmepRecord[] {
  const parse = createLineParser(profile);
  return lines.flatMap((line, index) => {
    const record = parse(line, index + 1);
    return record === undefined || record.type === 'skipped' ? [] : [record];
  });
}

function mapLines(lines: string[], extra: Partial<CmepProfileInput> = {}) {
  const profile = parseProfile({ source: 'feedA', ...extra });
  return mapRecords(recordsOf(lines, profile), profile);
}

const HEAD = 'MEPMD01,19970819,S,A,R,,202401020815,MTR001,OK,E';

describe('CMEP → canonical (cmep.md §14, cim.md §9)', () => {
  it('golden file: a 15-minute KWH block over two rows and a KWHREG read', () => {
    const result = mapLines(fixture('golden.cmep').split(/\r?\n/));
    expect(result.blocks).toHaveLength(1);
    const block = IntervalBlockSchema.parse(result.blocks[0]);
    expect(block).toMatchObject({
      meter: { name: 'MTR001', nameType: 'cmep:feedA/meterId' },
      readingType: ReadingTypeCodes.IntervalKwhForward15Min,
      start: '2024-01-02T00:00:00.000Z',
      intervalSeconds: 900,
      values: ['1.25', '1.30', '1.10', '0.95', '1.05', '1.00', '0.90', '0.85'],
      sourceStatuses: [null, null, 'E', 'R', null, null, 'E7', 'R0'],
      source: 'cmep:feedA',
    });
    expect(block.qualities[0]).toEqual([QualityCodes.VALIDATED]);
    expect(block.qualities[2]).toEqual([QualityCodes.ESTIMATED]);
    expect(block.qualities[3]).toEqual([]);
    expect(result.reads).toEqual([expect.objectContaining({ readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-01-02T01:00:00.000Z', value: '10432.7' })]);
    expect(RegisterReadSchema.safeParse(result.reads[0]).success).toBe(true);
    expect(result.readings).toBe(9);
  });

  it('§15.9 flags map as configured: A edited, N missing with a null value, vendor statuses through the flag map', () => {
    const result = mapLines([`${HEAD},KWH,1,00000015,4,202401020015,A,1,,N32,0,,E7,2,,R0,3`], { flags: { '7': ['1.2.32'], '32': [QualityCodes.POWER_FAIL] } });
    const block = result.blocks[0];
    expect(block?.values).toEqual(['1', null, '2', '3']);
    expect(block?.qualities).toEqual([[QualityCodes.EDITED], [QualityCodes.MISSING, QualityCodes.POWER_FAIL], [QualityCodes.ESTIMATED, '1.2.32'], []]);
    expect(block?.sourceStatuses).toEqual(['A', 'N32', 'E7', 'R0']);
  });

  it('§15.9 an unknown flag letter quarantines that triplet only', () => {
    const result = mapLines([`${HEAD},KWH,1,00000015,3,202401020015,,1,,Q,2,,,3`]);
    expect(result.issues).toEqual([{ line: 1, reason: 'triplet 2: unknown flag "Q" (field 18)' }]);
    expect(result.blocks.map((block) => block.values)).toEqual([['1'], ['3']]);
  });

  it('§15.10 CF and CFREG: the REG rule classifies them and the interval sum equals the register delta', () => {
    const result = mapLines(fixture('water-cf.cmep').split('\n'));
    expect(result.blocks).toHaveLength(1);
    expect(result.blocks[0]?.readingType).toBe('0.0.7.4.1.9.12.0.0.0.0.0.0.0.0.0.119.0');
    expect(result.reads.map((read) => read.readingType)).toEqual(['0.0.0.1.1.9.12.0.0.0.0.0.0.0.0.0.119.0', '0.0.0.1.1.9.12.0.0.0.0.0.0.0.0.0.119.0']);
    const sum = (result.blocks[0]?.values ?? []).reduce((total, value) => total + Number(value), 0);
    const [first, second] = result.reads;
    expect(sum).toBe(Number(second?.value) - Number(first?.value));
    expect(result.warnings).toEqual([]);
  });

  it('§15.12 overlapping deliveries: the later occurrence wins and duplicates are counted', () => {
    const day1 = `${HEAD},KWH,1,00000100,4,202401020100,,1,,,2,,,3,,,4`;
    const day2 = `${HEAD},KWH,1,00000100,4,202401020300,,3,,,9,,,5,,,6`;
    const result = mapLines([day1, day2]);
    expect(result.duplicates).toBe(2);
    expect(result.blocks).toHaveLength(1);
    expect(result.blocks[0]?.values).toEqual(['1', '2', '3', '9', '5', '6']);
  });

  it('§15.13 one meter-day split over two rows of 48 joins into one block without gaps', () => {
    const row = (first: string, offset: number) => `${HEAD},KWH,1,00000015,48,${first},,${offset}${',,,1'.repeat(47)}`;
    const result = mapLines([row('202401020015', 0), row('202401021215', 2)]);
    expect(result.blocks).toHaveLength(1);
    expect(result.blocks[0]?.values).toHaveLength(96);
    expect(result.blocks[0]?.start).toBe('2024-01-02T00:00:00.000Z');
  });

  it('an unknown unit, an unsupported interval and a refused purpose each drop only their row', () => {
    const result = mapLines([
      `${HEAD},FURLONGS,1,00000015,1,202401020015,,1`,
      `${HEAD},KWH,1,00000130,1,202401020130,,1`,
      'MEPMD01,19970819,S,A,R,,202401020815,MTR001,PROFILE,E,KWH,1,00000015,1,202401020015,,1',
      `${HEAD},KWH,1,00000015,1,202401020015,,5`,
    ]);
    expect(result.issues.map((issue) => issue.line)).toEqual([1, 2]);
    expect(result.issues[0]?.reason).toMatch(/unknown unit "FURLONGS"/);
    expect(result.issues[1]?.reason).toMatch(/interval of 5400 s cannot travel as an interval block/);
    expect(result.skippedByPurpose).toBe(1);
    expect(result.blocks.map((block) => block.values)).toEqual([['5']]);
  });

  it('a month interval yields monthly reads (no fixed length for a block)', () => {
    const result = mapLines([`${HEAD},KWH,1,01000000,2,202402010000,,700,,,650`]);
    expect(result.blocks).toEqual([]);
    expect(result.reads.map((read) => [read.readingType, read.timeStamp, read.value])).toEqual([
      ['13.0.0.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', '2024-02-01T00:00:00.000Z', '700'],
      ['13.0.0.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', '2024-03-01T00:00:00.000Z', '650'],
    ]);
  });

  it('a register N value is missing, never a stale reading; vendor REG units follow the REG rule', () => {
    const result = mapLines([`${HEAD},SKWHREG,1,,1,202401020002,N,99`], { units: { SKWH: { kind: 'delta', uom: 72, powerOfTen: 3 } } });
    expect(result.reads[0]).toMatchObject({ value: null, qualities: [QualityCodes.MISSING], sourceStatus: 'N', readingType: ReadingTypeCodes.RegisterKwhForward });
  });

  it('MEPMD02 TOU entries become billing-period reads per TOU bucket', () => {
    const result = mapLines(['MEPMD02,19970819,S,A,R,,202407010000,MTR9,OK,E,KWH,S,1,202406010000,202407010000,2,ON-PEAK,,120.5,CUSTOM,,3']);
    expect(result.reads).toEqual([expect.objectContaining({ register: 'ON-PEAK/S', readingType: '8.0.0.4.1.1.12.0.0.0.0.1.0.0.0.3.72.0', value: '120.5', timeStamp: '2024-07-01T00:00:00.000Z' })]);
    expect(result.issues[0]?.reason).toMatch(/TOU label "CUSTOM"/);
  });

  it('MEPEC01 METER records become a Meter draft; all parameters stay on the record', () => {
    const [record] = recordsOf(['MEPEC01,19980618,S,A,R,,202401020815,REQ1,CFG,OK,,W,,METER,ACME,X1,SN123,,,,CUSTOMER,3,FORM,2S,KH,7.2,VENDOR-X,blue']);
    if (record?.type !== 'MEPEC01') throw new Error('expected MEPEC01');
    const draft = meterDraftOf(record, { source: 'feedA' });
    expect(draft).toEqual({ names: [{ name: 'SN123', nameType: 'cmep:feedA/meterId' }], serialNumber: 'SN123', manufacturer: 'ACME', model: 'X1', formNumber: '2S', commodity: 'water', multipliers: [{ kind: 'kH', value: '7.2' }], registers: [] });
  });
});

describe('the open window (flat memory for any file size)', () => {
  const row = (meter: string, firstEnd: string, values: string[]) =>
    `MEPMD01,19970819,S,A,R,,202401020815,${meter},OK,E,KWH,1,00000015,${values.length},${values.map((value, index) => `${index === 0 ? firstEnd : ''},,${value}`).join(',')}`;

  it('closes the least recently seen series beyond the window, joining the rows of each meter that stay inside it', () => {
    const profile = parseProfile({ source: 'feedA' });
    const mapper = new CmepMapper(profile, 2);
    const closed: string[] = [];
    const lines = [
      row('M1', '202401020015', ['1', '2']),
      row('M1', '202401020045', ['3', '4']),
      row('M2', '202401020015', ['5', '6']),
      row('M3', '202401020015', ['7', '8']),
      row('M2', '202401020045', ['9', '10']),
      row('M4', '202401020015', ['11', '12']),
      // M1 comes back after it left the window: a block of its own, merged by the store.
      row('M1', '202401020115', ['13']),
    ];
    for (const record of recordsOf(lines, profile)) {
      mapper.add(record);
      for (const block of mapper.takeClosed().blocks) closed.push(`${block.meter?.name}:${block.values.join('|')}`);
    }
    const rest = mapper.finish();
    expect(closed).toEqual(['M1:1|2|3|4', 'M3:7|8', 'M2:5|6|9|10']);
    expect(rest.blocks.map((block) => `${block.meter?.name}:${block.values.join('|')}`)).toEqual(['M4:11|12', 'M1:13']);
    expect(rest.readings).toBe(13);
  });
});
