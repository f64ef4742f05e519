/**
 * Pure: 3.0 `meterRead` ⇄ canonical RegisterReads (cim.md §9), and canonical reads and interval
 * blocks → meterReads for GetLatestReadingByMeterNo / GetReadingsByMeterNo answers.
 *
 * Inbound, each value becomes one RegisterRead on the meter named by `meterNo`, at
 * `readingDate`; a demand (`kW`, TOU `kW`) is stamped at its `kWDateTime` when given (CIM
 * Reading.timeStamp: when the value was last changed, which for a maximum is its peak). 3.0 has
 * no quality, so reads carry none (not assessed, cim.md §4). A readingValue's `fieldName` becomes
 * the read's `register`. Values that cannot become reads are returned as InputErrors naming their
 * element; the outage and event counters, which have no canonical counterpart, are listed as
 * unmapped.
 *
 * Outbound, reads are grouped into one meterRead per meter and time: energy and other values by
 * their timeStamp, a demand joining the first meterRead of its meter at or after its peak (or
 * its own). A read with a `register` name, or a second read for an occupied field, is written as
 * a readingValue, so nothing is merged away; a missing (null) value is left out, as 3.0 has no
 * way to say "missing".
 */
import type { IntervalBlock, ReadingReason, RegisterRead } from '../../../canonical/index.js';
import { ExactDecimal, InputError, intervalEndAt, isReadingTypeCode, toDecimalString } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { decimalOf, ReadScope } from '../mapping-primitives.js';
import { codeOfValueType, MeterReadCodes, slotOf, touCode, unitsOfCode, valueTypeOfCode } from './reading-types.js';
import type { MeterRead, ReadingValue, TouReading } from './records.js';

export interface MeterReadContext {
  /** Stamped on every read as its `source` (e.g. `multispeak:headEndA`). */
  readonly source?: string;
  readonly reason?: ReadingReason;
  /** Names the meterRead in messages (default `meterRead`). */
  readonly path?: string;
}

export interface MeterReadMapping {
  readonly reads: RegisterRead[];
  /** Values that could not become reads, each naming its element (for errorObjects). */
  readonly issues: InputError[];
  /** Fields with no canonical counterpart, named with their values. */
  readonly unmapped: string[];
}

/**
 * A meterRead as RegisterReads. A meterRead without `meterNo`, or with values but no
 * `readingDate`, is an InputError as a whole.
 */
export function registerReadsOfMeterRead(read: MeterRead, context: MeterReadContext = {}): MeterReadMapping {
  const scope = new ReadScope(context.path ?? 'meterRead');
  const meter = namedReference(read.meterNo, MultiSpeakNameType.MeterNumber) ?? scope.at('meterNo').fail('is required to map a meterRead');
  const reads: RegisterRead[] = [];
  const issues: InputError[] = [];
  const readingDate = (): string => read.readingDate ?? scope.at('readingDate').fail('is required to map a meterRead with values');
  const add = (readingType: string, value: string | undefined, timeStamp: () => string, register?: string): void => {
    if (value === undefined) return;
    reads.push({
      meter,
      ...(register === undefined ? {} : { register }),
      readingType,
      timeStamp: timeStamp(),
      value,
      qualities: [],
      ...(context.reason === undefined ? {} : { reason: context.reason }),
      ...(context.source === undefined ? {} : { source: context.source }),
    });
  };
  add(MeterReadCodes.posKWh, read.posKWh, readingDate);
  add(MeterReadCodes.negKWh, read.negKWh, readingDate);
  add(MeterReadCodes.kW, read.kW, () => read.kWDateTime ?? readingDate());
  add(MeterReadCodes.kVAr, read.kVAr, readingDate);
  read.touReadings.forEach((tou, index) => {
    if (tou.kWh === undefined && tou.kW === undefined) return;
    const at = scope.at('TOUReadings').at('TOUReading', index + 1);
    if (tou.ratePeriod === undefined || tou.ratePeriod < 1) {
      issues.push(new InputError(`${at.path}/ratePeriod: a TOU reading needs a rate period of 1 or more to name its TOU bucket`, { field: `${at.path}/ratePeriod` }));
      return;
    }
    const ratePeriod = tou.ratePeriod;
    add(touCode('kWh', ratePeriod), tou.kWh, readingDate);
    add(touCode('kW', ratePeriod), tou.kW, () => tou.kWDateTime ?? readingDate());
  });
  read.readingValues.forEach((value, index) => {
    const at = scope.at('readingValues').at('readingValue', index + 1);
    try {
      const code = codeOfReadingValue(value, at);
      const decimal = value.value === undefined ? at.at('value').fail('is absent') : decimalOf(value.value, at.at('value'));
      add(code, decimal, () => value.dateTime ?? readingDate(), value.fieldName);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(error);
    }
  });
  const unmapped = (['momentaryOutages', 'momentaryEvents', 'sustainedOutages'] as const).flatMap((field) =>
    read[field] === undefined ? [] : [`${scope.path}/${field} = ${read[field]}: no canonical counterpart`],
  );
  return { reads, issues, unmapped };
}

function codeOfReadingValue(value: ReadingValue, scope: ReadScope): string {
  if (value.readingType !== undefined && isReadingTypeCode(value.readingType)) return value.readingType;
  const fromTable = value.readingValueType === undefined ? undefined : codeOfValueType(value.readingValueType, value.units);
  if (fromTable !== undefined) return fromTable;
  const described = [
    value.readingType === undefined ? undefined : `readingType ${JSON.stringify(value.readingType)} is not an 18-field ReadingType code`,
    `readingValueType ${JSON.stringify(value.readingValueType ?? '')} with units ${JSON.stringify(value.units ?? '')} has no ReadingType`,
  ].filter((part) => part !== undefined);
  return scope.fail(described.join('; '), value.readingType ?? value.readingValueType);
}

export interface MeterReadWriteOptions {
  /**
   * The meterNo to write when the reads refer to the meter another way (the hub resolved it);
   * otherwise each read's `multispeak:meterNo` meter reference names it.
   */
  readonly meterNo?: string;
  /**
   * `posKWh`, `negKWh` and TOU `kWh` are xs:integer in 3.0: `truncate` (default) writes the
   * whole units a dial shows; `keep` writes the decimal for receivers known to accept it.
   */
  readonly fractionalKWh?: 'truncate' | 'keep';
}

interface Group {
  readonly meterNo: string;
  readonly readingDate: string;
  readonly read: MeterRead;
  readonly tou: Map<number, TouReading>;
}

interface Item {
  readonly meterNo: string;
  readonly readingType: string;
  readonly timeStamp: string;
  readonly value: string;
  readonly register?: string;
}

/**
 * Canonical reads and interval blocks of one or more meters as meterReads, sorted by meter and
 * reading date. Each interval value is a readingValue stamped at its interval's end.
 */
export function meterReadsOfCanonical(input: { readonly reads?: readonly RegisterRead[]; readonly blocks?: readonly IntervalBlock[] }, options: MeterReadWriteOptions = {}): MeterRead[] {
  const meterNoOf = (reference: RegisterRead['meter'], what: string): string =>
    options.meterNo ??
    nameOfType(reference, MultiSpeakNameType.MeterNumber) ??
    fail(`${what} has no ${MultiSpeakNameType.MeterNumber} meter reference; a 3.0 meterRead names its meter by meterNo`);
  const items: Item[] = [];
  for (const read of input.reads ?? []) {
    if (read.value === null) continue;
    items.push({ meterNo: meterNoOf(read.meter, `read ${read.readingType} at ${read.timeStamp}`), readingType: read.readingType, timeStamp: read.timeStamp, value: read.value, register: read.register });
  }
  for (const block of input.blocks ?? []) {
    const meterNo = meterNoOf(block.meter, `block ${block.readingType} from ${block.start}`);
    block.values.forEach((value, index) => {
      if (value !== null) items.push({ meterNo, readingType: block.readingType, timeStamp: intervalEndAt(block, index), value });
    });
  }
  const isDemand = (item: Item): boolean => {
    const field = slotOf(item.readingType).field;
    return item.register === undefined && (field === 'kW' || field === 'touKW');
  };
  const groups = new Map<string, Group>();
  const groupAt = (meterNo: string, readingDate: string): Group => {
    const key = `${meterNo}\u0000${Date.parse(readingDate)}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { meterNo, readingDate, read: { meterNo, readingDate, extensions: [], touReadings: [], readingValues: [] }, tou: new Map() };
      groups.set(key, group);
    }
    return group;
  };
  for (const item of items) if (!isDemand(item)) place(groupAt(item.meterNo, item.timeStamp), item, options);
  const byTime = (a: Item, b: Item): number => Date.parse(a.timeStamp) - Date.parse(b.timeStamp);
  for (const item of items.filter(isDemand).sort(byTime)) {
    const peak = Date.parse(item.timeStamp);
    const target = [...groups.values()]
      .filter((group) => group.meterNo === item.meterNo && Date.parse(group.readingDate) >= peak && !demandTaken(group, item))
      .sort((a, b) => Date.parse(a.readingDate) - Date.parse(b.readingDate))[0];
    place(target ?? groupAt(item.meterNo, item.timeStamp), item, options);
  }
  return [...groups.values()]
    .sort((a, b) => a.meterNo.localeCompare(b.meterNo) || Date.parse(a.readingDate) - Date.parse(b.readingDate))
    .map((group) => ({ ...group.read, touReadings: [...group.tou.entries()].sort(([a], [b]) => a - b).map(([, tou]) => tou) }));
}

function demandTaken(group: Group, item: Item): boolean {
  const slot = slotOf(item.readingType);
  if (slot.field === 'touKW') return group.tou.get(slot.ratePeriod)?.kW !== undefined;
  return group.read.kW !== undefined;
}

function registerValue(value: string, options: MeterReadWriteOptions): string {
  return options.fractionalKWh === 'keep' ? value : toDecimalString(new ExactDecimal(value).truncated());
}

/**
 * Puts an item in its meterRead field, or in readingValues when it has a register name or the
 * field is taken. Energy items are in the group of their own time; a demand keeps its peak time
 * in `kWDateTime`.
 */
function place(group: Group, item: Item, options: MeterReadWriteOptions): void {
  const read = group.read;
  const slot = item.register === undefined ? slotOf(item.readingType) : { field: 'readingValue' as const };
  if ((slot.field === 'posKWh' || slot.field === 'negKWh') && read[slot.field] === undefined) {
    read[slot.field] = registerValue(item.value, options);
  } else if (slot.field === 'kVAr' && read.kVAr === undefined) {
    read.kVAr = item.value;
  } else if (slot.field === 'kW' && read.kW === undefined) {
    read.kW = item.value;
    read.kWDateTime = item.timeStamp;
  } else if (slot.field === 'touKWh' && group.tou.get(slot.ratePeriod)?.kWh === undefined) {
    group.tou.set(slot.ratePeriod, { ratePeriod: slot.ratePeriod, ...group.tou.get(slot.ratePeriod), kWh: registerValue(item.value, options) });
  } else if (slot.field === 'touKW' && group.tou.get(slot.ratePeriod)?.kW === undefined) {
    group.tou.set(slot.ratePeriod, { ratePeriod: slot.ratePeriod, ...group.tou.get(slot.ratePeriod), kW: item.value, kWDateTime: item.timeStamp });
  } else {
    read.readingValues.push({
      units: unitsOfCode(item.readingType),
      value: item.value,
      readingType: item.readingType,
      readingValueType: valueTypeOfCode(item.readingType),
      dateTime: item.timeStamp,
      fieldName: item.register,
    });
  }
}

function fail(message: string): never {
  throw new InputError(message, { field: 'meter' });
}
