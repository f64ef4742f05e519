import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type IntervalBlock, IntervalBlockSchema, RegisterReadSchema } from '../../canonical/index.js';
import { InputError } from '../contract.js';
import { type Mv90Record, RowDecoder, splitDelimitedLine } from './codec.js';
import { mapRecords, ReadingAssembler } from './mapping.js';
import { parseTemplate, type Template } from './spec.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const load = (name: string): Template => parseTemplate(JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8')));
const intervalTemplate = load('interval-per-row');
const dayTemplate = load('day-per-row');

/** Decodes a fixture the way the adapter does, collecting the lines that fail. */
function decodeFixture(name: string, template: Template): { records: Mv90Record[]; bad: { line: number; reason: string }[] } {
  const decoder = new RowDecoder(template);
  const records: Mv90Record[] = [];
  const bad: { line: number; reason: string }[] = [];
  fixture(name).split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (line <= template.file.headerRows || text === '' || text.startsWith(template.file.commentPrefix ?? '\u0000')) return;
    try {
      records.push(...decoder.decode(splitDelimitedLine(text, template.file.delimiter, template.file.quote)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      bad.push({ line, reason: error.message });
    }
  });
  return { records, bad };
}

describe('mapping interval-per-row exports', () => {
  it('turns the golden file into the expected blocks and register reads', () => {
    const { records, bad } = decodeFixture('interval-per-row.csv', intervalTemplate);
    expect(bad).toEqual([]);
    const mapped = mapRecords(intervalTemplate, records);
    const expected: unknown = JSON.parse(fixture('interval-per-row.expected.json'));
    expect({ blocks: mapped.blocks, reads: mapped.reads }).toEqual(expected);
    for (const block of mapped.blocks) expect(IntervalBlockSchema.safeParse(block).success).toBe(true);
    for (const read of mapped.reads) expect(RegisterReadSchema.safeParse(read).success).toBe(true);
    expect(mapped).toMatchObject({ readings: 7, duplicates: 0, conflicts: 0 });
  });

  it('reads the fall-back day (25 h, New York) as one block of 100 quarter-hours in order', () => {
    const { records, bad } = decodeFixture('fall-back-2024-11-03.csv', intervalTemplate);
    expect(bad).toEqual([]);
    const { blocks, duplicates } = mapRecords(intervalTemplate, records);
    expect(duplicates).toBe(0);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.start).toBe('2024-11-03T04:00:00.000Z');
    expect(blocks[0]?.values).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 1)));
  });

  it('reads a repeated wall hour as daylight then standard, per meter and channel', () => {
    const decoder = new RowDecoder(intervalTemplate);
    const lines = ['A,1,11/03/2024,01:15,1,OK', 'B,1,11/03/2024,01:15,7,OK', 'A,1,11/03/2024,01:30,2,OK', 'A,1,11/03/2024,01:15,3,OK', 'B,1,11/03/2024,01:30,8,OK'];
    const records = lines.flatMap((line) => decoder.decode(splitDelimitedLine(line, ',', '"')));
    const { blocks } = mapRecords(intervalTemplate, records);
    const a = blocks.filter((block) => block.meter?.name === 'A').map((block) => [block.start, block.values]);
    // 01:15 EDT (05:15Z) ends 05:00–05:15; 01:30 EDT ends 05:15–05:30; 01:15 EST (06:15Z) is the repeat.
    expect(a).toEqual([['2024-11-03T05:00:00.000Z', ['1', '2']], ['2024-11-03T06:00:00.000Z', ['3']]]);
    const b = blocks.filter((block) => block.meter?.name === 'B').map((block) => [block.start, block.values]);
    expect(b).toEqual([['2024-11-03T05:00:00.000Z', ['7', '8']]]);
  });

  it('reads the spring-forward day (23 h) as 92 quarter-hours and quarantines the nonexistent 02:30', () => {
    const { records, bad } = decodeFixture('spring-forward-2024-03-10.csv', intervalTemplate);
    expect(bad).toHaveLength(1);
    expect(bad[0]?.line).toBe(10);
    expect(bad[0]?.reason).toMatch(/02:30.*does not exist in America\/New_York/);
    const { blocks } = mapRecords(intervalTemplate, records);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.start).toBe('2024-03-10T05:00:00.000Z');
    expect(blocks[0]?.values).toHaveLength(92);
    expect(blocks[0]?.values.at(-1)).toBe('92');
  });

  it('keeps the later of a repeated reading and counts repeats and conflicts', () => {
    const day1 = decodeFixture('overlap-day1.csv', intervalTemplate).records;
    const day2 = decodeFixture('overlap-day2.csv', intervalTemplate).records;
    const mapped = mapRecords(intervalTemplate, [...day1, ...day2]);
    expect(mapped.blocks.map((block) => block.values)).toEqual([['1', '2', '3', '40', '5', '6']]);
    expect(mapped).toMatchObject({ readings: 6, duplicates: 2, conflicts: 1 });
  });

  it('splits a day at a gap instead of inventing values', () => {
    const decoder = new RowDecoder(intervalTemplate);
    const records = ['A,1,06/03/2024,00:15,1,OK', 'A,1,06/03/2024,00:45,3,OK'].flatMap((line) => decoder.decode(splitDelimitedLine(line, ',', '"')));
    const { blocks } = mapRecords(intervalTemplate, records);
    expect(blocks.map((block) => [block.start, block.values])).toEqual([
      ['2024-06-03T04:00:00.000Z', ['1']],
      ['2024-06-03T04:30:00.000Z', ['3']],
    ]);
  });

  it('refuses a stamp off the interval grid', () => {
    const [record] = new RowDecoder(intervalTemplate).decode(splitDelimitedLine('A,1,06/03/2024,00:20,1,OK', ',', '"'));
    if (record === undefined) throw new Error('no record');
    expect(() => new ReadingAssembler(intervalTemplate).add(record)).toThrow(/off the 15-minute grid/);
  });

  it('emits the least recently used day early when more days are open than allowed', () => {
    const decoder = new RowDecoder(intervalTemplate);
    const assembler = new ReadingAssembler(intervalTemplate, 1);
    const [first, second] = ['A,1,06/03/2024,00:15,1,OK', 'B,1,06/03/2024,00:15,2,OK'].flatMap((line) => decoder.decode(splitDelimitedLine(line, ',', '"')));
    if (first === undefined || second === undefined) throw new Error('no records');
    expect(assembler.add(first).blocks).toEqual([]);
    expect(assembler.add(second).blocks.map((block) => block.meter?.name)).toEqual(['A']);
    expect(assembler.flush().blocks.map((block) => block.meter?.name)).toEqual(['B']);
  });
  it('emits a meter/channel day once its series has rows two days later, not at the end of the file', () => {
    // A time-sorted export (every meter for one stamp, then the next) used to keep every day of
    // every meter open until maxOpenDays; a day that can no longer grow now goes out at once.
    const decoder = new RowDecoder(intervalTemplate);
    const assembler = new ReadingAssembler(intervalTemplate);
    const add = (line: string) => decoder.decode(splitDelimitedLine(line, ',', '"')).flatMap((record) => assembler.add(record).blocks);
    const emitted = (blocks: readonly IntervalBlock[]) =>
      blocks.map((block) => [block.meter?.name, block.start, block.values]);
    expect(add('A,1,06/03/2024,00:15,1,OK')).toEqual([]);
    expect(add('B,1,06/03/2024,00:15,9,OK')).toEqual([]);
    expect(add('A,1,06/03/2024,00:30,2,OK')).toEqual([]);
    // The previous day stays open: a re-delivery overlapping it still joins its block.
    expect(add('A,1,06/04/2024,00:15,3,OK')).toEqual([]);
    expect(emitted(add('A,1,06/05/2024,00:15,4,OK'))).toEqual([['A', '2024-06-03T04:00:00.000Z', ['1', '2']]]);
    // A late row for a day already emitted goes out as its own block rather than reopening memory.
    expect(emitted(add('A,1,06/03/2024,00:45,5,OK'))).toEqual([['A', '2024-06-03T04:30:00.000Z', ['5']]]);
    expect(emitted(assembler.flush().blocks)).toEqual([
      ['B', '2024-06-03T04:00:00.000Z', ['9']],
      ['A', '2024-06-04T04:00:00.000Z', ['3']],
      ['A', '2024-06-05T04:00:00.000Z', ['4']],
    ]);
    expect(assembler.counts).toEqual({ readings: 6, duplicates: 0, conflicts: 0 });
  });
});

describe('mapping day-per-row exports', () => {
  const { records, bad } = decodeFixture('day-per-row.csv', dayTemplate);
  // The last row (a 25th value on a 24-hour day) is refused by the assembler; see its own test.
  const mapped = mapRecords(dayTemplate, records.slice(0, -1));
  const blockOn = (start: string, readingType = '0.0.7.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0') =>
    mapped.blocks.find((block) => block.start === start && block.readingType === readingType);

  it('reads an ordinary day as 24 hourly values from local midnight', () => {
    const block = blockOn('2024-06-02T22:00:00.000Z');
    expect(block?.values).toHaveLength(24);
    expect(block?.values[0]).toBe('1.5');
    expect(block?.qualities[0]).toEqual([]);
  });

  it('reads the 23-hour spring-forward day and the 25-hour fall-back day (Europe/Berlin)', () => {
    expect(blockOn('2024-03-30T23:00:00.000Z')?.values).toHaveLength(23);
    const fall = blockOn('2024-10-26T22:00:00.000Z');
    expect(fall?.values).toHaveLength(25);
    expect(fall?.values.at(-1)).toBe('25.5');
  });

  it('maps status codes to qualities and keeps unknown ones as source status', () => {
    const block = blockOn('2024-06-02T22:00:00.000Z', '0.0.7.4.19.1.12.0.0.0.0.0.0.0.0.3.72.0');
    expect(block?.values.slice(0, 4)).toEqual(['1234.5', null, '0.75', '2']);
    expect(block?.qualities.slice(0, 4)).toEqual([['3.8.1'], ['2.5.259'], ['1.2.32'], []]);
    expect(block?.sourceStatuses?.slice(0, 4)).toEqual(['E', null, 'S', 'X']);
  });

  it('quarantines a row with a 25th value on a 24-hour day, naming the column', () => {
    expect(bad).toEqual([]);
    const last = records.at(-1);
    if (last === undefined) throw new Error('no records');
    expect(() => new ReadingAssembler(dayTemplate).add(last)).toThrow(/column 52 \(value\): holds a value outside the 24-hour local day 2024-06-04/);
    expect(mapped.blocks.some((block) => block.start === '2024-06-03T22:00:00.000Z')).toBe(false);
  });

  it('places wall-clock columns by wall time: the skipped hour must be empty, the repeated hour is read once', () => {
    const wallClock = parseTemplate({ ...JSON.parse(readFileSync(new URL('./templates/day-per-row.json', import.meta.url), 'utf8')), layout: { ...Object(dayTemplate.layout), dayColumns: 'wall-clock' } });
    const decoder = new RowDecoder(wallClock);
    const cells = (count: number, skip?: number) => Array.from({ length: 25 }, (_, index) => (index < count && index !== skip ? `${index + 1};V` : ';')).join(';');
    const spring = decoder.decode(splitDelimitedLine(`M;1;31.03.2024;${cells(24, 2)}`, ';', '"'));
    const fall = decoder.decode(splitDelimitedLine(`M;1;27.10.2024;${cells(24)}`, ';', '"'));
    const { blocks } = mapRecords(wallClock, [...spring, ...fall]);
    expect(blocks.map((block) => [block.start, block.values.length])).toEqual([
      ['2024-03-30T23:00:00.000Z', 23],
      // 00:00–02:00 CEST, then the repeated 02:00 hour (CET) has no column, then 03:00 onwards.
      ['2024-10-26T22:00:00.000Z', 3],
      ['2024-10-27T02:00:00.000Z', 21],
    ]);
    const springWithValueInGap = decoder.decode(splitDelimitedLine(`M;1;31.03.2024;${cells(24)}`, ';', '"'));
    const [record] = springWithValueInGap;
    if (record === undefined) throw new Error('no record');
    expect(() => new ReadingAssembler(wallClock).add(record)).toThrow(/column 8 \(value\)/);
  });
});
