import { describe, expect, it } from 'vitest';
import { readEach } from '../mapping-primitives.js';
import { inputErrorOf } from '../testing/errors.js';
import { el, fixtureTree, parseTestXml } from '../testing/tree.js';
import { childrenNamed } from '../xml/element.js';
import { readMeterRead } from './read-meter-read.js';
import type { MeterRead } from './records.js';
import { writeMeterRead } from './write-meter-read.js';

const batch = fixtureTree('v3-meter-read.xml');
const [first, second] = childrenNamed(batch, 'meterRead');

const GOLDEN_METER_READ: MeterRead = {
  objectID: 'R-1001-20240501',
  verb: 'New',
  utility: 'ExampleCoop',
  comments: 'scheduled daily read',
  extensions: [],
  meterNo: '1001',
  deviceID: 'EP-77001',
  readingDate: '2024-05-01T05:00:00.000Z',
  posKWh: '10432',
  negKWh: '17',
  kW: '4.82',
  kVAr: '1.2',
  kWDateTime: '2024-04-30T23:15:00.000Z',
  phase: 'A',
  momentaryOutages: 2,
  touReadings: [
    { ratePeriod: 1, kWh: '6200', kW: '4.82', kWDateTime: '2024-04-30T23:15:00.000Z' },
    { ratePeriod: 2, kWh: '4232' },
  ],
  readingValues: [
    { units: 'V', value: '241.6', readingValueType: 'Current Voltage Phase A', dateTime: '2024-05-01T05:00:00.000Z' },
    {
      units: 'kWh',
      value: '10432.55',
      readingType: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
      readingValueType: 'Energy',
      name: 'kWh delivered, full resolution',
      dateTime: '2024-05-01T05:00:00.000Z',
      fieldName: 'kWhHighRes',
    },
  ],
};

describe('3.0 meterRead reader (multispeak.md §8, §12)', () => {
  it('golden: a pretty-printed, prefixed meterRead with TOU and reading values', () => {
    if (first === undefined) throw new Error('fixture has no meterRead');
    const { record, warnings } = readMeterRead(first);
    expect(record).toEqual(GOLDEN_METER_READ);
    expect(warnings).toEqual([]);
  });

  it('§12.10 a fractional posKWh is kept exactly and flagged, not refused; ASMX seven-digit fractions read', () => {
    if (second === undefined) throw new Error('fixture has no second meterRead');
    const { record, warnings } = readMeterRead(second, 'changedMeterReads/meterRead[2]');
    expect(record).toMatchObject({ meterNo: '1002', posKWh: '5120.75', readingDate: '2024-05-01T05:00:00.000Z' });
    expect(warnings).toEqual(['changedMeterReads/meterRead[2]/posKWh: declared xs:integer; fractional value "5120.75" kept as 5120.75 (multispeak.md §12.10)']);
  });

  it('a bad value is an InputError naming the element path and keeping the raw text', () => {
    const read = el('meterRead', [el('meterNo', '1001'), el('TOUReadings', [el('TOUReading', [el('kWh', '1')]), el('TOUReading', [el('kWh', '12a')])])]);
    const error = inputErrorOf(() => readMeterRead(read, 'ReadingChangedNotification/changedMeterReads/meterRead[3]'));
    expect(error.message).toBe('ReadingChangedNotification/changedMeterReads/meterRead[3]/TOUReadings/TOUReading[2]/kWh: expected xs:integer, got "12a"');
    expect(error.location).toEqual({ field: 'ReadingChangedNotification/changedMeterReads/meterRead[3]/TOUReadings/TOUReading[2]/kWh' });
    expect(error.raw).toBe('12a');
  });

  it('kW refuses INF and NaN; xs:float exponents and signs become plain decimals', () => {
    expect(inputErrorOf(() => readMeterRead(el('meterRead', [el('kW', 'INF')]))).message).toBe('meterRead/kW: expected xs:float, got "INF"');
    expect(readMeterRead(el('meterRead', [el('kW', '+.5'), el('kVAr', '-2.5e-1')])).record).toMatchObject({ kW: '0.5', kVAr: '-0.25' });
  });

  it('a dateTime without offset needs the partner time zone; with it, local time becomes UTC (DST aware)', () => {
    const read = el('meterRead', [el('readingDate', '2024-07-01T00:00:00')]);
    expect(inputErrorOf(() => readMeterRead(read)).message).toBe('meterRead/readingDate: dateTime "2024-07-01T00:00:00" has no UTC offset and no time zone is configured for the partner');
    expect(readMeterRead(read, undefined, { timeZone: 'America/Chicago' }).record.readingDate).toBe('2024-07-01T05:00:00.000Z');
    const gap = el('meterRead', [el('readingDate', '2024-03-10T02:30:00')]);
    expect(inputErrorOf(() => readMeterRead(gap, undefined, { timeZone: 'America/Chicago' })).message).toMatch(/^meterRead\/readingDate: wall time .* does not exist in America\/Chicago/);
    expect(inputErrorOf(() => readMeterRead(el('meterRead', [el('readingDate', '2024-02-30T00:00:00Z')]))).message).toBe('meterRead/readingDate: "2024-02-30T00:00:00Z" is not a real date and time');
  });

  it('enumerations: wrong case is read with a warning, an unknown literal is an InputError listing the allowed ones', () => {
    const { record, warnings } = readMeterRead(el('meterRead', { verb: 'change' }, [el('phase', 'abc')]));
    expect(record).toMatchObject({ verb: 'Change', phase: 'ABC' });
    expect(warnings).toEqual(['meterRead/@verb: enumeration value "change" read as "Change"', 'meterRead/phase: enumeration value "abc" read as "ABC"']);
    expect(inputErrorOf(() => readMeterRead(el('meterRead', [el('phase', 'N')]))).message).toBe('meterRead/phase: unknown value "N"; expected one of A, B, C, AB, AC, BC, ABC, Unknown');
  });

  it('a batch reads each object on its own: the bad one is an error at its index, the rest are records', () => {
    const container = el('changedMeterReads', [el('meterRead', [el('posKWh', '1')]), el('meterRead', [el('posKWh', 'x')]), el('meterRead', [el('posKWh', '3')])]);
    const items = readEach(container, 'meterRead', readMeterRead);
    expect(items.map((item) => (item.ok ? item.record.posKWh : item.error.message))).toEqual(['1', 'changedMeterReads/meterRead[2]/posKWh: expected xs:integer, got "x"', '3']);
  });
});

describe('3.0 meterRead writer', () => {
  it('golden text: sequence order, no namespace declaration, escaped text', () => {
    const text = writeMeterRead({
      objectID: 'R&D <1>',
      extensions: [],
      meterNo: '1002',
      readingDate: '2024-05-01T05:00:00.000Z',
      posKWh: '5120',
      touReadings: [],
      readingValues: [{ value: '1', name: 'a < b & "c"' }],
    });
    expect(text).toBe(
      '<meterRead objectID="R&amp;D &lt;1&gt;"><meterNo>1002</meterNo><readingDate>2024-05-01T05:00:00Z</readingDate><posKWh>5120</posKWh>' +
        '<readingValues><readingValue><value>1</value><name>a &lt; b &amp; "c"</name></readingValue></readingValues></meterRead>',
    );
  });

  it('round trip: every fixture meterRead written and read again is the same record', () => {
    for (const [index, element] of childrenNamed(batch, 'meterRead').entries()) {
      const { record } = readMeterRead(element, `meterRead[${index + 1}]`);
      expect(readMeterRead(parseTestXml(writeMeterRead(record)), `meterRead[${index + 1}]`).record).toEqual(record);
    }
  });

  it('a namespace is declared only when asked for; a character XML cannot carry is an InputError', () => {
    expect(writeMeterRead({ extensions: [], touReadings: [], readingValues: [] }, { name: 'outMeterRead', namespace: 'http://www.multispeak.org/Version_3.0' })).toBe(
      '<outMeterRead xmlns="http://www.multispeak.org/Version_3.0"/>',
    );
    expect(inputErrorOf(() => writeMeterRead({ meterNo: 'a\u0001', extensions: [], touReadings: [], readingValues: [] })).message).toBe('meterNo: character U+0001 cannot be written in XML 1.0');
  });
});
