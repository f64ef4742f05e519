import { describe, expect, it } from 'vitest';
import { createLineParser } from './codec.js';
import type { MeterDataRecord } from './records.js';
import { parseProfile } from './spec.js';

const HEAD = 'MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR001,OK,E,KWH,1,00000015';

function md01(parse: ReturnType<typeof createLineParser>, line: string, number = 1): MeterDataRecord {
  const record = parse(line, number);
  if (record?.type !== 'MEPMD01') throw new Error(`expected MEPMD01, got ${record?.type}`);
  return record;
}

function row(values: readonly string[], first = '202401020015'): string {
  return `${HEAD},${values.length},${values.map((value, index) => `${index === 0 ? first : ''},,${value}`).join(',')}`;
}

describe('MEPMD01 hot path (reused value texts, shared end-time slab)', () => {
  it('every value text comes back exactly as written, however many distinct values share the cache', () => {
    const parse = createLineParser(parseProfile({ source: 'feedA' }));
    // 20 000 distinct values over a 4 096-slot table: every slot is overwritten many times.
    for (let start = 0; start < 20_000; start += 48) {
      const values = Array.from({ length: 48 }, (_, index) => ((start + index) % 2 === 0 ? `${start + index}` : `-${start + index}.${index}0`));
      expect(md01(parse, row(values)).values).toEqual(values);
    }
  });

  it('keeps leading zeros, long values and the slow forms', () => {
    const parse = createLineParser(parseProfile({ source: 'feedA' }));
    const record = md01(parse, row(['007', '0.000', '123456789012.345678', '1.', '', ' 2.5 ', '1e3', '-0']));
    expect(record.values).toEqual(['007', '0.000', '123456789012.345678', '1', '0', '2.5', '1000', '-0']);
    expect(() => parse(row(['-']), 3)).toThrow(/line 3: field 16 \(value\): not a number: "-"/);
    expect(() => parse(row(['1', '1.2.3']), 4)).toThrow(/field 19 \(value\)/);
  });

  it('end times of earlier records stay intact while later records fill the slab', () => {
    const parse = createLineParser(parseProfile({ source: 'feedA' }));
    const records: MeterDataRecord[] = [];
    for (let day = 1; day <= 300; day++) {
      const first = `202401${String((day % 28) + 1).padStart(2, '0')}0015`;
      records.push(md01(parse, row(Array.from({ length: 48 }, () => '1'), first), day));
    }
    records.forEach((record, index) => {
      const start = Date.UTC(2024, 0, ((index + 1) % 28) + 1, 0, 15);
      expect([...record.ends]).toEqual(Array.from({ length: 48 }, (_, step) => start + step * 900_000));
    });
  });

  it('stamps across days, months and a leap day read the same with the day cache', () => {
    const parse = createLineParser(parseProfile({ source: 'feedA' }));
    const stamps = ['202402282345', '202402290000', '202402292345', '202403010000', '202312312359', '202401010000', '202402282345'];
    const line = `${HEAD},${stamps.length},${stamps.map((stamp) => `${stamp},,1`).join(',')}`;
    expect([...md01(parse, line).ends].map((ms) => new Date(ms).toISOString())).toEqual([
      '2024-02-28T23:45:00.000Z', '2024-02-29T00:00:00.000Z', '2024-02-29T23:45:00.000Z', '2024-03-01T00:00:00.000Z',
      '2023-12-31T23:59:00.000Z', '2024-01-01T00:00:00.000Z', '2024-02-28T23:45:00.000Z',
    ]);
    // A cached date does not excuse a bad HHMM, and a bad date after a good one still fails.
    expect(() => parse(`${HEAD},2,202402280000,,1,202402282400,,2`, 5)).toThrow(/field 17 \(triplet time\): not a CCYYMMDDHHMM date\/time: "202402282400"/);
    expect(() => parse(`${HEAD},2,202302280000,,1,202302290000,,2`, 6)).toThrow(/field 17 \(triplet time\)/);
  });

  it('flags come back exactly as written, the reused ones and the long ones alike', () => {
    const parse = createLineParser(parseProfile({ source: 'feedA' }));
    const flags = ['R0', 'R00', 'R', '0', '00', 'E7', 'N32', 'A1', 'R1234567890123', 'R12345678901234', '', ' E7 '];
    const line = `${HEAD},${flags.length},${flags.map((flag, index) => `${index === 0 ? '202401020015' : ''},${flag},1`).join(',')}`;
    for (let round = 0; round < 3; round++) {
      const record = md01(parse, line, round + 1);
      expect(record.flags).toEqual(flags.map((flag) => flag.trim()));
      expect(record.problems).toBeUndefined();
      expect(record.values[6]).toBeNull();
    }
  });
});
