import { describe, expect, it } from 'vitest';
import { readEach } from '../mapping-primitives.js';
import { inputErrorOf } from '../testing/errors.js';
import { el, fixtureTree, parseTestXml } from '../testing/tree.js';
import { childNamed, childrenNamed } from '../xml/element.js';
import { readMeterReading } from './read-meter-reading.js';
import type { MeterReading } from './records.js';
import { writeMeterReading } from './write-meter-reading.js';

const array = childNamed(fixtureTree('v5-meter-reading.xml'), 'ArrayOfMeterReading');
const [first, second] = childrenNamed(array, 'meterReading');
if (first === undefined || second === undefined) throw new Error('fixture v5-meter-reading.xml needs two meterReadings');

const KWH15 = { code: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', name: '15-min kWh delivered', fields: {} };
const REGISTER_FIELDS = {
  macroPeriod: '0',
  aggregate: '0',
  measuringPeriod: '0',
  accumulation: '1',
  flowDirection: '1',
  commodity: '1',
  measurementKind: '12',
  interharmonicNumerator: '0',
  interharmonicDenominator: '0',
  argumentNumerator: '0',
  argumentDenominator: '0',
  tou: '0',
  cpp: '0',
  consumptionTier: '0',
  phases: '0',
  multiplier: '3',
  unit: '72',
  currency: '0',
};

const GOLDEN: MeterReading = {
  referableID: 'MR-1',
  meterID: { guid: '8d7e3b7a-0b7c-4f5e-9a41-5f0e2b7c9d10', meterName: '1001', serviceType: 'Electric', utility: 'examplecoop.org' },
  deviceID: 'EP-77001',
  readingValues: [
    { value: '1.25', timeStamp: '2024-01-01T00:15:00.000Z', readingTypeCode: KWH15, readingTypeCodeRef: 'kwh15' },
    { value: '1.10', timeStamp: '2024-01-01T00:30:00.000Z', readingQualityCode: '3.8.1', readingTypeCode: KWH15, readingTypeCodeRef: 'kwh15' },
    { value: null, timeStamp: '2024-01-01T00:45:00.000Z', readingTypeCode: KWH15, readingTypeCodeRef: 'kwh15' },
    { value: '0.95', timeStamp: '2024-01-01T01:00:00.000Z', readingQualityCode: '1.2.32', readingTypeCode: KWH15, readingTypeCodeRef: 'kwh15' },
    { value: '10432.7', timeStamp: '2024-01-01T01:00:00.000Z', readingTypeCode: { code: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0', name: 'kWh delivered', fields: REGISTER_FIELDS } },
  ],
  errors: [],
};

describe('5.0 meterReading reader (multispeak.md §9, §12)', () => {
  it('golden: meterID with attributes, values by reference and inline, nil value, quality by text and by attributes', () => {
    const { record, warnings } = readMeterReading(first);
    expect(record).toEqual(GOLDEN);
    expect(warnings).toEqual([]);
  });

  it('§12.4/§13.10 an empty meterID with meterName, and §12.10 a 17-part readingTypeCode, are kept with warnings', () => {
    const { record, warnings } = readMeterReading(second, 'ArrayOfMeterReading/meterReading[2]');
    expect(record).toEqual({
      meterID: { meterName: '1002' },
      readingValues: [{ value: '5120.75', timeStamp: '2024-01-01T01:00:00.000Z', readingQualityCode: '1.2.32', readingTypeCode: { code: '0.0.01.1.1.12.0.0.0.0.0.0.0.0.3.72.0', fields: {} } }],
      errors: [],
    });
    expect(warnings).toEqual([
      'ArrayOfMeterReading/meterReading[2]/meterID: is empty; the meter is identified by meterName "1002" (multispeak.md §12.4)',
      'ArrayOfMeterReading/meterReading[2]/readingValues/readingValue[1]/readingTypeCode: "0.0.01.1.1.12.0.0.0.0.0.0.0.0.3.72.0" is not an 18-field ReadingType code (17 fields); kept raw (multispeak.md §12.10)',
    ]);
  });

  it('a meter number in the meterID text is kept with a warning; a meterID with neither text nor meterName is refused', () => {
    const lenient = readMeterReading(el('meterReading', [el('meterID', '12345'), el('readingValues', [])]));
    expect(lenient.record.meterID).toEqual({ guid: '12345' });
    expect(lenient.warnings).toEqual(['meterReading/meterID: "12345" is not a GUID as MultiSpeak 5.0 requires; kept as sent (multispeak.md §12.4)']);
    expect(inputErrorOf(() => readMeterReading(el('meterReading', [el('meterID', '')]))).message).toBe('meterReading/meterID: is empty and has no meterName: the meter cannot be identified');
    expect(inputErrorOf(() => readMeterReading(el('meterReading', []))).message).toBe('meterReading/meterID: is required but absent');
  });

  it('bad values are InputErrors naming the element: quality code, unknown code ref, missing timeStamp, empty code without its fields', () => {
    const value = (...children: ReturnType<typeof el>[]) => el('meterReading', [el('meterID', { meterName: '1' }), el('readingValues', [el('readingValue', children)])]);
    const code = el('readingTypeCodeOption', [el('readingTypeCode', '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0')]);
    expect(inputErrorOf(() => readMeterReading(value(el('value', '1'), el('timeStamp', '2024-01-01T00:00:00Z'), el('readingQualityCode', 'estimated'), code))).message).toBe(
      'meterReading/readingValues/readingValue[1]/readingQualityCode: expected a readingQualityCode system.category.index (IEC 61968-9 Annex D), got "estimated"',
    );
    expect(inputErrorOf(() => readMeterReading(value(el('value', '1'), el('timeStamp', '2024-01-01T00:00:00Z'), el('readingTypeCodeOption', [el('readingTypeCodeRef', 'x')])))).message).toBe(
      'meterReading/readingValues/readingValue[1]/readingTypeCodeOption/readingTypeCodeRef: "x" names no readingTypeCodeItem of the meterReading',
    );
    expect(inputErrorOf(() => readMeterReading(value(el('value', '1'), code))).message).toBe('meterReading/readingValues/readingValue[1]/timeStamp: is required but absent or empty');
    expect(inputErrorOf(() => readMeterReading(value(el('value', '1'), el('timeStamp', '2024-01-01T00:00:00Z'), el('readingTypeCodeOption', [el('readingTypeCode', { unit: '72' }, '')])))).message).toBe(
      'meterReading/readingValues/readingValue[1]/readingTypeCodeOption/readingTypeCode: is empty and its 18 field attributes are incomplete',
    );
  });

  it('an empty code is built from complete field attributes; attributes that disagree with the text are warned about', () => {
    const reading = (code: string) =>
      el('meterReading', [
        el('meterID', '8d7e3b7a-0b7c-4f5e-9a41-5f0e2b7c9d10'),
        el('readingValues', [el('readingValue', [el('value', '1'), el('timeStamp', '2024-01-01T00:00:00Z'), el('readingTypeCodeOption', [el('readingTypeCode', REGISTER_FIELDS, code)])])]),
      ]);
    const built = readMeterReading(reading(''));
    expect(built.record.readingValues[0]?.readingTypeCode.code).toBe('0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0');
    expect(built.warnings).toEqual(['meterReading/readingValues/readingValue[1]/readingTypeCodeOption/readingTypeCode: is empty; built from its field attributes as 0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0']);
    expect(readMeterReading(reading('0.0.0.1.19.1.12.0.0.0.0.0.0.0.0.3.72.0')).warnings).toEqual([
      'meterReading/readingValues/readingValue[1]/readingTypeCodeOption/readingTypeCode: its field attributes say 0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0; the text 0.0.0.1.19.1.12.0.0.0.0.0.0.0.0.3.72.0 is used',
    ]);
  });

  it('a batch reads each meterReading on its own', () => {
    const items = readEach(el('ArrayOfMeterReading', [first, el('meterReading', [el('meterID', '')]), second]), 'meterReading', readMeterReading);
    expect(items.map((item) => item.ok)).toEqual([true, false, true]);
  });
});

describe('5.0 meterReading writer', () => {
  it('golden text: children in the core namespace under an ArrayOf… item, empty value for missing data, codes inline', () => {
    const text = writeMeterReading({
      meterID: { guid: '8d7e3b7a-0b7c-4f5e-9a41-5f0e2b7c9d10', meterName: '1001' },
      readingValues: [{ value: null, timeStamp: '2024-01-01T00:45:00.000Z', readingQualityCode: '2.5.259', readingTypeCode: { code: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0', fields: {} } }],
      errors: [],
    });
    expect(text).toBe(
      '<meterReading xmlns="http://www.multispeak.org/V5.0/commonArrays">' +
        '<meterID xmlns="http://www.multispeak.org/V5.0" meterName="1001">8d7e3b7a-0b7c-4f5e-9a41-5f0e2b7c9d10</meterID>' +
        '<readingValues xmlns="http://www.multispeak.org/V5.0"><readingValue><value/><timeStamp>2024-01-01T00:45:00Z</timeStamp><readingQualityCode>2.5.259</readingQualityCode>' +
        '<readingTypeCodeOption><readingTypeCode>0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0</readingTypeCode></readingTypeCodeOption></readingValue></readingValues></meterReading>',
    );
  });

  it('round trip: written and read again, each fixture meterReading is the same record (references written inline)', () => {
    for (const element of [first, second]) {
      const { record } = readMeterReading(element);
      const again = readMeterReading(parseTestXml(writeMeterReading(record))).record;
      const inline = { ...record, readingValues: record.readingValues.map(({ readingTypeCodeRef: _ref, ...value }) => value) };
      expect(again).toEqual(inline);
    }
  });

  it('the parsed output carries the namespaces the XSD qualifies', () => {
    const tree = parseTestXml(writeMeterReading(GOLDEN));
    expect(tree.namespace).toBe('http://www.multispeak.org/V5.0/commonArrays');
    expect(tree.children.map((child) => child.namespace)).toEqual(['http://www.multispeak.org/V5.0', 'http://www.multispeak.org/V5.0', 'http://www.multispeak.org/V5.0']);
  });
});
