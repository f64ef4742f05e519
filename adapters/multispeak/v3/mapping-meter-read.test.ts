import { describe, expect, it } from 'vitest';
import { ReadingTypeCodes, RegisterReadSchema, type IntervalBlock, type RegisterRead } from '../../../canonical/index.js';
import { inputErrorOf } from '../testing/errors.js';
import { fixtureTree } from '../testing/tree.js';
import { childrenNamed } from '../xml/element.js';
import { meterReadsOfCanonical, registerReadsOfMeterRead } from './mapping-meter-read.js';
import { readMeterRead } from './read-meter-read.js';
import type { MeterRead } from './records.js';

const [first, second] = childrenNamed(fixtureTree('v3-meter-read.xml'), 'meterRead').map((element) => readMeterRead(element).record);
if (first === undefined || second === undefined) throw new Error('fixture v3-meter-read.xml needs two meterReads');

const meter = { name: '1001', nameType: 'multispeak:meterNo' };
const AT = '2024-05-01T05:00:00.000Z';
const PEAK = '2024-04-30T23:15:00.000Z';
const read = (readingType: string, value: string, timeStamp = AT, extra: Partial<RegisterRead> = {}): RegisterRead => ({ meter, readingType, timeStamp, value, qualities: [], source: 'multispeak:headEndA', ...extra });

const GOLDEN_READS: RegisterRead[] = [
  read(ReadingTypeCodes.RegisterKwhForward, '10432'),
  read(ReadingTypeCodes.RegisterKwhReverse, '17'),
  read('0.8.0.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0', '4.82', PEAK),
  read('0.8.0.0.1.1.8.0.0.0.0.0.0.0.0.3.63.0', '1.2'),
  read('0.0.0.1.1.1.12.0.0.0.0.1.0.0.0.3.72.0', '6200'),
  read('0.8.0.0.1.1.8.0.0.0.0.1.0.0.0.3.38.0', '4.82', PEAK),
  read('0.0.0.1.1.1.12.0.0.0.0.2.0.0.0.3.72.0', '4232'),
  read('0.0.0.12.0.1.54.0.0.0.0.0.0.0.128.0.29.0', '241.6'),
  read(ReadingTypeCodes.RegisterKwhForward, '10432.55', AT, { register: 'kWhHighRes' }),
];

const byKey = (reads: readonly RegisterRead[]): RegisterRead[] =>
  [...reads].sort((a, b) => `${a.readingType}${a.timeStamp}${a.register ?? ''}`.localeCompare(`${b.readingType}${b.timeStamp}${b.register ?? ''}`));

describe('3.0 meterRead → canonical RegisterReads (cim.md §9)', () => {
  it('golden: posKWh forward, negKWh reverse, demand at its peak time, TOU buckets, reading values', () => {
    const result = registerReadsOfMeterRead(first, { source: 'multispeak:headEndA' });
    expect(result.reads).toEqual(GOLDEN_READS);
    expect(result.issues).toEqual([]);
    expect(result.unmapped).toEqual(['meterRead/momentaryOutages = 2: no canonical counterpart']);
    for (const each of result.reads) expect(RegisterReadSchema.safeParse(each).success).toBe(true);
  });

  it('§12.10 a flagged fractional posKWh keeps its decimal value; a reason is stamped on every read', () => {
    expect(registerReadsOfMeterRead(second, { reason: 'billing' }).reads).toEqual([
      { meter: { name: '1002', nameType: 'multispeak:meterNo' }, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: AT, value: '5120.75', qualities: [], reason: 'billing' },
    ]);
  });

  it('an unmappable reading value is an InputError naming its element; the others are still mapped', () => {
    const meterRead: MeterRead = {
      meterNo: '1001',
      readingDate: AT,
      posKWh: '5',
      extensions: [],
      touReadings: [{ kWh: '3' }],
      readingValues: [
        { value: '3', readingValueType: 'Momentary interruptions count' },
        { value: 'n/a', readingType: ReadingTypeCodes.RegisterKwhReverse },
        { value: '7', units: 'KWH', readingValueType: 'Negative Energy' },
      ],
    };
    const result = registerReadsOfMeterRead(meterRead, { path: 'changedMeterReads/meterRead[4]' });
    expect(result.reads.map((each) => [each.readingType, each.value])).toEqual([
      [ReadingTypeCodes.RegisterKwhForward, '5'],
      [ReadingTypeCodes.RegisterKwhReverse, '7'],
    ]);
    expect(result.issues.map((issue) => issue.message)).toEqual([
      'changedMeterReads/meterRead[4]/TOUReadings/TOUReading[1]/ratePeriod: a TOU reading needs a rate period of 1 or more to name its TOU bucket',
      'changedMeterReads/meterRead[4]/readingValues/readingValue[1]: readingValueType "Momentary interruptions count" with units "" has no ReadingType',
      'changedMeterReads/meterRead[4]/readingValues/readingValue[2]/value: expected xs:float, got "n/a"',
    ]);
  });

  it('without meterNo, or with values but no readingDate, the whole meterRead is refused', () => {
    expect(inputErrorOf(() => registerReadsOfMeterRead({ posKWh: '1', extensions: [], touReadings: [], readingValues: [] })).message).toBe('meterRead/meterNo: is required to map a meterRead');
    expect(inputErrorOf(() => registerReadsOfMeterRead({ meterNo: '9', posKWh: '1', extensions: [], touReadings: [], readingValues: [] })).message).toBe(
      'meterRead/readingDate: is required to map a meterRead with values',
    );
  });
});

describe('canonical → 3.0 meterRead (GetLatestReadingByMeterNo, GetReadingsByMeterNo)', () => {
  it('golden: the reads of one reading fill one meterRead; the demand joins it with its peak time', () => {
    expect(meterReadsOfCanonical({ reads: GOLDEN_READS })).toEqual([
      {
        meterNo: '1001',
        readingDate: AT,
        extensions: [],
        posKWh: '10432',
        negKWh: '17',
        kW: '4.82',
        kWDateTime: PEAK,
        kVAr: '1.2',
        touReadings: [
          { ratePeriod: 1, kWh: '6200', kW: '4.82', kWDateTime: PEAK },
          { ratePeriod: 2, kWh: '4232' },
        ],
        readingValues: [
          { units: 'V', value: '241.6', readingType: '0.0.0.12.0.1.54.0.0.0.0.0.0.0.128.0.29.0', readingValueType: 'Current Voltage Phase A', dateTime: AT },
          { units: 'kWh', value: '10432.55', readingType: ReadingTypeCodes.RegisterKwhForward, readingValueType: 'Energy', dateTime: AT, fieldName: 'kWhHighRes' },
        ],
      },
    ]);
  });

  it('round trip: canonical → meterRead → canonical gives the same reads', () => {
    const again = meterReadsOfCanonical({ reads: GOLDEN_READS }).flatMap((meterRead) => registerReadsOfMeterRead(meterRead, { source: 'multispeak:headEndA' }).reads);
    expect(byKey(again)).toEqual(byKey(GOLDEN_READS));
  });

  it('xs:integer registers are truncated by default, kept on request; a missing value is left out', () => {
    const reads = [read(ReadingTypeCodes.RegisterKwhForward, '5120.75'), read(ReadingTypeCodes.RegisterKwhReverse, '3'), { ...read(ReadingTypeCodes.RegisterKwhReverse, '0', '2024-05-02T05:00:00.000Z'), value: null }];
    expect(meterReadsOfCanonical({ reads })).toEqual([{ meterNo: '1001', readingDate: AT, extensions: [], posKWh: '5120', negKWh: '3', touReadings: [], readingValues: [] }]);
    expect(meterReadsOfCanonical({ reads }, { fractionalKWh: 'keep' })[0]?.posKWh).toBe('5120.75');
  });

  it('reads over several days and meters become one meterRead per meter and reading date; each demand joins the next reading', () => {
    const other = { name: '1002', nameType: 'multispeak:meterNo' };
    const reads = [
      read(ReadingTypeCodes.RegisterKwhForward, '100', '2024-05-02T05:00:00.000Z'),
      read(ReadingTypeCodes.RegisterKwhForward, '90', AT),
      read('0.8.0.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0', '3', '2024-05-01T20:00:00.000Z'),
      read(ReadingTypeCodes.RegisterKwhForward, '7', AT, { meter: other }),
    ];
    expect(meterReadsOfCanonical({ reads }).map((each) => [each.meterNo, each.readingDate, each.posKWh, each.kW, each.kWDateTime])).toEqual([
      ['1001', AT, '90', undefined, undefined],
      ['1001', '2024-05-02T05:00:00.000Z', '100', '3', '2024-05-01T20:00:00.000Z'],
      ['1002', AT, '7', undefined, undefined],
    ]);
  });

  it('interval blocks become reading values stamped at each interval end; missing intervals are left out', () => {
    const block: IntervalBlock = {
      meter,
      readingType: ReadingTypeCodes.IntervalKwhForward15Min,
      start: '2024-05-01T04:30:00.000Z',
      intervalSeconds: 900,
      values: ['0.25', null],
      qualities: [[], ['2.5.259']],
    };
    expect(meterReadsOfCanonical({ reads: [read(ReadingTypeCodes.RegisterKwhForward, '10432', '2024-05-01T04:45:00.000Z')], blocks: [block] })).toEqual([
      {
        meterNo: '1001',
        readingDate: '2024-05-01T04:45:00.000Z',
        extensions: [],
        posKWh: '10432',
        touReadings: [],
        readingValues: [{ units: 'kWh', value: '0.25', readingType: ReadingTypeCodes.IntervalKwhForward15Min, dateTime: '2024-05-01T04:45:00.000Z' }],
      },
    ]);
  });

  it('a read that names its meter another way needs the meterNo from the caller', () => {
    const byMrid = { ...read(ReadingTypeCodes.RegisterKwhForward, '1'), meter: { mRID: '0190a0e1-0000-7000-8000-000000000009' } };
    expect(inputErrorOf(() => meterReadsOfCanonical({ reads: [byMrid] })).message).toBe(
      `read ${ReadingTypeCodes.RegisterKwhForward} at ${AT} has no multispeak:meterNo meter reference; a 3.0 meterRead names its meter by meterNo`,
    );
    expect(meterReadsOfCanonical({ reads: [byMrid] }, { meterNo: '1001' })[0]?.meterNo).toBe('1001');
  });
});
