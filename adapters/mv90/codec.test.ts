import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../contract.js';
import { RowDecoder, splitDelimitedLine } from './codec.js';
import { parseTemplate, type Template } from './spec.js';

const load = (name: string): Template => parseTemplate(JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8')));
const intervalTemplate = load('interval-per-row');
const dayTemplate = load('day-per-row');
const row = (line: string, template: Template = intervalTemplate): string[] =>
  splitDelimitedLine(line, template.file.delimiter, template.file.quote, template.file.trimFields);

function inputErrorOf(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('splitDelimitedLine', () => {
  it('reads quoted fields with delimiters and doubled quotes (RFC 4180 §2)', () => {
    expect(splitDelimitedLine('"A,1","say ""hi""",,x ', ',', '"')).toEqual(['A,1', 'say "hi"', '', 'x']);
  });

  it('keeps an empty last field after a trailing delimiter', () => {
    expect(splitDelimitedLine('a;b;', ';', '"')).toEqual(['a', 'b', '']);
  });

  it('refuses an unclosed quote and text after a closing quote, naming the column', () => {
    expect(inputErrorOf(() => splitDelimitedLine('a,"b', ',', '"')).location.field).toBe('column 2');
    expect(() => splitDelimitedLine('"a"x,b', ',', '"')).toThrow(/text after closing quote/);
  });
});

describe('RowDecoder, interval per row', () => {
  const decoder = new RowDecoder(intervalTemplate);

  it('decodes a row into a record with UTC stamps', () => {
    const [record] = decoder.decode(row('MTR-1001,1,06/03/2024,00:15,1.25,OK'));
    expect(record).toEqual({
      kind: 'interval', meterId: 'MTR-1001', channel: '1',
      stampEarlier: Date.parse('2024-06-03T04:15:00Z'), stampLater: Date.parse('2024-06-03T04:15:00Z'),
      value: '1.25', status: 'OK',
    });
  });

  it('reads 24:00 as midnight of the next day', () => {
    const [record] = decoder.decode(row('M,1,06/03/2024,24:00,2,OK'));
    expect(record?.kind === 'interval' && new Date(record.stampEarlier).toISOString()).toBe('2024-06-04T04:00:00.000Z');
  });

  it('gives both readings of a wall time repeated by fall-back', () => {
    const [record] = decoder.decode(row('M,1,11/03/2024,01:30,2,OK'));
    expect(record?.kind === 'interval' && [record.stampEarlier, record.stampLater].map((ms) => new Date(ms).toISOString()))
      .toEqual(['2024-11-03T05:30:00.000Z', '2024-11-03T06:30:00.000Z']);
  });

  it('keeps an empty or listed missing value as null, never 0', () => {
    expect(decoder.decode(row('M,1,06/03/2024,00:15,,'))[0]).toMatchObject({ value: null, status: null });
    expect(decoder.decode(row('M,1,06/03/2024,00:15,N/A,E'))[0]).toMatchObject({ value: null, status: 'E' });
  });

  it.each([
    ['a bad date', 'M,1,13/45/2024,00:15,1,OK', 'column 3', /column 3 \(date\)/],
    ['a bad time', 'M,1,06/03/2024,25:99,1,OK', 'column 4', /column 4 \(time\)/],
    ['a bad number', 'M,1,06/03/2024,00:15,1.2.3,OK', 'column 5', /not a number/],
    ['an unknown channel', 'M,9,06/03/2024,00:15,1,OK', 'column 2', /unknown channel "9"/],
    ['missing columns', 'M,1,06/03/2024', 'column 4', /missing: the row has 3 columns/],
    ['an empty meter id', ',1,06/03/2024,00:15,1,OK', 'column 1', /meter id\): empty/],
    ['a wall time in the spring-forward gap', 'M,1,03/10/2024,02:30,1,OK', 'column 4', /does not exist/],
  ])('names the column of %s', (_case, line, field, message) => {
    const error = inputErrorOf(() => decoder.decode(row(line)));
    expect(error.location.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe('RowDecoder, day per row', () => {
  const decoder = new RowDecoder(dayTemplate);

  it('reads interleaved value/status pairs with decimal commas and thousands points', () => {
    const line = 'MTR-3001;2;03.06.2024;1.234,5;E;-;;0,75;S' + ';0;V'.repeat(22);
    const [record] = decoder.decode(row(line, dayTemplate));
    expect(record?.kind).toBe('day');
    if (record?.kind !== 'day') return;
    expect(record.date).toBe('2024-06-03');
    expect(record.values.slice(0, 4)).toEqual(['1234.5', null, '0.75', '0']);
    expect(record.statuses.slice(0, 4)).toEqual(['E', null, 'S', 'V']);
    expect(record.values).toHaveLength(25);
  });

  it('names the value column that holds a bad number', () => {
    const line = 'MTR-3001;1;03.06.2024;1,5;V;abc;V' + ';0;V'.repeat(23);
    const error = inputErrorOf(() => decoder.decode(row(line, dayTemplate)));
    expect(error.location.field).toBe('column 6');
  });
});
