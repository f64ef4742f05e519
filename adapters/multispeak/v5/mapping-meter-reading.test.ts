import { describe, expect, it } from 'vitest';
import { IntervalBlockSchema, QualityCodes, ReadingTypeCodes, RegisterReadSchema, type RegisterRead } from '../../../canonical/index.js';
import { inputErrorOf } from '../testing/errors.js';
import { fixtureTree } from '../testing/tree.js';
import { childNamed, childrenNamed } from '../xml/element.js';
import { canonicalOfMeterReading, meterReadingOfCanonical, primaryQualityOf } from './mapping-meter-reading.js';
import { readMeterReading } from './read-meter-reading.js';
import type { MeterReading, ReadingValue } from './records.js';

const [first, second] = childrenNamed(childNamed(fixtureTree('v5-meter-reading.xml'), 'ArrayOfMeterReading'), 'meterReading').map((element) => readMeterReading(element).record);
if (first === undefined || second === undefined) throw new Error('fixture v5-meter-reading.xml needs two meterReadings');

const meter = { name: '1001', nameType: 'multispeak:meterNo' };
const KWH15 = ReadingTypeCodes.IntervalKwhForward15Min;
const value = (timeStamp: string, text: string | null, readingQualityCode?: string, code: string = KWH15): ReadingValue => ({
  value: text,
  timeStamp,
  ...(readingQualityCode === undefined ? {} : { readingQualityCode }),
  readingTypeCode: { code, fields: {} },
});
const reading = (...readingValues: ReadingValue[]): MeterReading => ({ meterID: { meterName: '1001' }, readingValues, errors: [] });

describe('5.0 meterReading → canonical (cim.md §3, §9)', () => {
  it('golden: interval values become one 15-minute block (nil → missing with 2.5.259), the register value a read', () => {
    const mapped = canonicalOfMeterReading(first, { source: 'multispeak:headEndA' });
    expect(mapped.blocks).toEqual([
      {
        meter,
        readingType: KWH15,
        start: '2024-01-01T00:00:00.000Z',
        intervalSeconds: 900,
        values: ['1.25', '1.10', null, '0.95'],
        qualities: [[], [QualityCodes.ESTIMATED], [QualityCodes.MISSING], [QualityCodes.POWER_FAIL]],
        source: 'multispeak:headEndA',
      },
    ]);
    expect(mapped.reads).toEqual([{ meter, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-01-01T01:00:00.000Z', value: '10432.7', qualities: [], source: 'multispeak:headEndA' }]);
    expect(mapped.issues).toEqual([]);
    expect(mapped.warnings).toEqual([]);
    expect(IntervalBlockSchema.safeParse(mapped.blocks[0]).success).toBe(true);
    expect(RegisterReadSchema.safeParse(mapped.reads[0]).success).toBe(true);
  });

  it('§12.10 the raw 17-part code cannot be mapped: an InputError for that value, never a silent drop', () => {
    const mapped = canonicalOfMeterReading(second, { path: 'ArrayOfMeterReading/meterReading[2]' });
    expect(mapped.reads).toEqual([]);
    expect(mapped.issues.map((issue) => [issue.message, issue.raw])).toEqual([
      [
        'ArrayOfMeterReading/meterReading[2]/readingValues/readingValue[1]/readingTypeCode: "0.0.01.1.1.12.0.0.0.0.0.0.0.0.3.72.0" is not an 18-field ReadingType code; the value cannot be mapped',
        '0.0.01.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
      ],
    ]);
  });

  it('§12.4 a meterID named only by the GUID, or by a meter number in the text', () => {
    expect(canonicalOfMeterReading({ ...first, meterID: { guid: '8d7e3b7a-0b7c-4f5e-9a41-5f0e2b7c9d10' } }).reads[0]?.meter).toEqual({ name: '8d7e3b7a-0b7c-4f5e-9a41-5f0e2b7c9d10', nameType: 'multispeak:meterGUID' });
    expect(canonicalOfMeterReading({ ...first, meterID: { guid: '12345' } }).reads[0]?.meter).toEqual({ name: '12345', nameType: 'multispeak:meterNo' });
  });

  it('a gap starts a new block; a repeated stamp keeps the later value with a warning; out-of-order values are sorted', () => {
    const mapped = canonicalOfMeterReading(reading(value('2024-01-01T00:30:00Z', '2'), value('2024-01-01T00:15:00Z', '1'), value('2024-01-01T01:00:00Z', '4'), value('2024-01-01T00:30:00Z', '3')));
    expect(mapped.blocks.map((block) => [block.start, block.values])).toEqual([
      ['2024-01-01T00:00:00.000Z', ['1', '3']],
      ['2024-01-01T00:45:00.000Z', ['4']],
    ]);
    expect(mapped.warnings).toEqual([`meterReading/readingValues/readingValue[4]: repeats ${KWH15} at 2024-01-01T00:30:00Z; the later value is kept`]);
  });

  it('a non-numeric value is an InputError for that value only; a missing register value keeps the sender quality', () => {
    const mapped = canonicalOfMeterReading(reading(value('2024-01-01T00:15:00Z', 'n/a'), value('2024-01-01T01:00:00Z', null, '2.4.4', ReadingTypeCodes.RegisterKwhForward)));
    expect(mapped.issues.map((issue) => issue.message)).toEqual(['meterReading/readingValues/readingValue[1]/value: expected xs:float, got "n/a"']);
    expect(mapped.reads).toEqual([{ meter, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-01-01T01:00:00Z', value: null, qualities: ['2.4.4'] }]);
  });
});

describe('canonical → 5.0 meterReading', () => {
  it('golden: intervals at their ends, then reads; the missing value empty with its quality', () => {
    const { blocks, reads } = canonicalOfMeterReading(first);
    const { record, warnings } = meterReadingOfCanonical({ blocks, reads }, { meterID: first.meterID, referableID: 'MR-1' });
    expect(warnings).toEqual([]);
    expect(record).toEqual({
      referableID: 'MR-1',
      meterID: first.meterID,
      readingValues: [
        value('2024-01-01T00:15:00.000Z', '1.25'),
        value('2024-01-01T00:30:00.000Z', '1.10', '3.8.1'),
        value('2024-01-01T00:45:00.000Z', null, '2.5.259'),
        value('2024-01-01T01:00:00.000Z', '0.95', '1.2.32'),
        value('2024-01-01T01:00:00.000Z', '10432.7', undefined, ReadingTypeCodes.RegisterKwhForward),
      ],
      errors: [],
    });
  });

  it('round trip: canonical → meterReading → canonical is unchanged', () => {
    const mapped = canonicalOfMeterReading(first);
    const again = canonicalOfMeterReading(meterReadingOfCanonical(mapped).record);
    expect(again.blocks).toEqual(mapped.blocks);
    expect(again.reads).toEqual(mapped.reads);
  });

  it('one quality per value: the most telling is written, the others reported', () => {
    expect(primaryQualityOf([QualityCodes.POWER_FAIL, QualityCodes.ESTIMATED])).toBe(QualityCodes.ESTIMATED);
    expect(primaryQualityOf([QualityCodes.VALIDATED, QualityCodes.EDITED])).toBe(QualityCodes.EDITED);
    expect(primaryQualityOf([QualityCodes.ESTIMATED, QualityCodes.MISSING])).toBe(QualityCodes.MISSING);
    const read: RegisterRead = { meter, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-01-01T01:00:00.000Z', value: '1', qualities: [QualityCodes.POWER_FAIL, QualityCodes.ESTIMATED] };
    const { record, warnings } = meterReadingOfCanonical({ reads: [read] });
    expect(record.meterID).toEqual({ meterName: '1001' });
    expect(record.readingValues[0]?.readingQualityCode).toBe(QualityCodes.ESTIMATED);
    expect(warnings).toEqual([`${ReadingTypeCodes.RegisterKwhForward} at 2024-01-01T01:00:00.000Z: 5.0 carries one readingQualityCode; 3.8.1 written, 1.2.32 not`]);
  });

  it('reads of several meters, or of a meter without a MultiSpeak name, are refused', () => {
    const read: RegisterRead = { meter, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-01-01T01:00:00.000Z', value: '1', qualities: [] };
    expect(inputErrorOf(() => meterReadingOfCanonical({ reads: [read, { ...read, meter: { name: '1002', nameType: 'multispeak:meterNo' } }] })).message).toBe('the reads name 2 meters; a meterReading holds one');
    expect(inputErrorOf(() => meterReadingOfCanonical({ reads: [{ ...read, meter: { name: 'M1', nameType: 'cmep:feedA/meterId' } }] })).message).toBe(
      'the meter reference names no multispeak:meterNo or multispeak:meterGUID; a 5.0 meterID needs one',
    );
  });
});
