/**
 * Pure: 5.0 `meterReading` ⇄ canonical RegisterReads and IntervalBlocks (cim.md §3, §9:
 * "readingValue → value + readingTypeCode (same 18 fields) + readingQualityCode (same 3 parts)").
 *
 * Inbound, a value whose code has a fixed measuring period and is not a register
 * (bulkQuantity, cumulative) is an interval value stamped at its interval's end (CIM
 * IntervalReading.timeStamp); consecutive ones of one code become one IntervalBlock, a gap starts
 * another, a repeated stamp keeps the later value (with a warning). Every other value is a
 * RegisterRead. A missing value is null with the missing-read quality 2.5.259 unless the sender
 * gave a quality. A code that is not 18 fields (kept raw by the reader) cannot be mapped: an
 * InputError for that value, the others go on.
 *
 * Outbound, each interval becomes a readingValue at its end. 5.0 carries one
 * readingQualityCode per value: with several canonical qualities the most telling is written
 * (missing, then estimated, edited, failed validation, failed reasonability, tamper, power
 * quality, diagnostics, data collection, valid) and the others are reported as warnings.
 */
import type { IntervalBlock, Reference, RegisterRead, ReadingReason } from '../../../canonical/index.js';
import {
  Accumulation,
  InputError,
  intervalEndAt,
  isReadingTypeCode,
  measuringPeriodSeconds,
  parseQualityCode,
  parseReadingType,
  QualityCodes,
  toInstant,
} from '../../../canonical/index.js';
import { decimalOf, ReadScope, type Read } from '../mapping-primitives.js';
import { meterIdOfReference, meterReferenceOf } from './mapping-identifiers.js';
import type { MeterId, MeterReading, ReadingValue } from './records.js';

export interface CanonicalReadings {
  readonly reads: RegisterRead[];
  readonly blocks: IntervalBlock[];
  /** Values that could not be mapped, each naming its element. */
  readonly issues: InputError[];
  readonly warnings: string[];
}

export interface ReadingContext {
  readonly source?: string;
  readonly reason?: ReadingReason;
  readonly path?: string;
}

interface IntervalValue {
  readonly end: number;
  readonly value: string | null;
  readonly qualities: string[];
}

/** The interval length of a code's values, or undefined when they are register or instantaneous reads. */
function intervalSecondsOf(code: string): number | undefined {
  const fields = parseReadingType(code);
  if (fields.accumulation === Accumulation.BulkQuantity || fields.accumulation === Accumulation.Cumulative) return undefined;
  return measuringPeriodSeconds(fields);
}

/** readingValues of one meter as canonical reads and blocks; `scope` is the readingValues container. */
export function canonicalOfReadingValues(meter: Reference, values: readonly ReadingValue[], scope: ReadScope, context: ReadingContext = {}): CanonicalReadings {
  const reads: RegisterRead[] = [];
  const issues: InputError[] = [];
  const series = new Map<string, Map<number, IntervalValue>>();
  const source = context.source === undefined ? {} : { source: context.source };
  values.forEach((reading, index) => {
    const at = scope.at('readingValue', index + 1);
    try {
      const code = reading.readingTypeCode.code;
      if (!isReadingTypeCode(code)) at.at('readingTypeCode').fail(`${JSON.stringify(code)} is not an 18-field ReadingType code; the value cannot be mapped`, code);
      const value = reading.value === null ? null : decimalOf(reading.value, at.at('value'));
      const qualities = reading.readingQualityCode !== undefined ? [reading.readingQualityCode] : value === null ? [QualityCodes.MISSING] : [];
      if (intervalSecondsOf(code) === undefined) {
        reads.push({ meter, readingType: code, timeStamp: reading.timeStamp, value, qualities, ...(context.reason === undefined ? {} : { reason: context.reason }), ...source });
        return;
      }
      const byEnd = series.get(code) ?? new Map<number, IntervalValue>();
      series.set(code, byEnd);
      const end = Date.parse(reading.timeStamp);
      if (byEnd.has(end)) at.warn(`repeats ${code} at ${reading.timeStamp}; the later value is kept`);
      byEnd.set(end, { end, value, qualities });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(error);
    }
  });
  const blocks: IntervalBlock[] = [];
  for (const [code, byEnd] of series) {
    const seconds = intervalSecondsOf(code) ?? 0;
    let run: IntervalValue[] = [];
    const close = (): void => {
      const [first] = run;
      if (first === undefined) return;
      blocks.push({
        meter,
        readingType: code,
        start: toInstant(first.end - seconds * 1000),
        intervalSeconds: seconds,
        values: run.map((entry) => entry.value),
        qualities: run.map((entry) => entry.qualities),
        ...source,
      });
      run = [];
    };
    for (const entry of [...byEnd.values()].sort((a, b) => a.end - b.end)) {
      const previous = run[run.length - 1];
      if (previous !== undefined && entry.end - previous.end !== seconds * 1000) close();
      run.push(entry);
    }
    close();
  }
  return { reads, blocks, issues, warnings: scope.warnings };
}

/** A 5.0 meterReading as canonical reads and blocks of its meter. */
export function canonicalOfMeterReading(reading: MeterReading, context: ReadingContext = {}): CanonicalReadings {
  const scope = new ReadScope(context.path ?? 'meterReading');
  const meter = meterReferenceOf(reading.meterID, `${scope.path}/meterID`);
  return canonicalOfReadingValues(meter, reading.readingValues, scope.at('readingValues'), context);
}

const CATEGORY_RANK = [8, 7, 6, 5, 3, 2, 1, 4, 0];

function rankOf(code: string): number {
  if (code === QualityCodes.MISSING) return -1;
  const rank = CATEGORY_RANK.indexOf(parseQualityCode(code).category);
  return rank === -1 ? CATEGORY_RANK.length : rank;
}

/** The one readingQualityCode 5.0 can carry for a value's qualities. */
export function primaryQualityOf(qualities: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const code of qualities) if (best === undefined || rankOf(code) < rankOf(best)) best = code;
  return best;
}

export interface MeterReadingOptions {
  /** The meterID to write (e.g. with the partner's GUID); else derived from the meter reference. */
  readonly meterID?: MeterId;
  readonly referableID?: string;
}

/** Canonical reads and blocks of one meter as a 5.0 meterReading, with warnings for qualities 5.0 cannot carry. */
export function meterReadingOfCanonical(input: { readonly reads?: readonly RegisterRead[]; readonly blocks?: readonly IntervalBlock[] }, options: MeterReadingOptions = {}): Read<MeterReading> {
  const items = [...(input.blocks ?? []), ...(input.reads ?? [])];
  const meters = new Set(items.map((item) => JSON.stringify(item.meter ?? null)));
  if (options.meterID === undefined && meters.size > 1) throw new InputError(`the reads name ${meters.size} meters; a meterReading holds one`, { field: 'meter' });
  const meterID = options.meterID ?? meterIdOfReference(items[0]?.meter);
  const warnings: string[] = [];
  const valueOf = (readingType: string, timeStamp: string, value: string | null, qualities: readonly string[]): ReadingValue => {
    const quality = primaryQualityOf(qualities);
    const dropped = qualities.filter((code) => code !== quality);
    if (dropped.length > 0) warnings.push(`${readingType} at ${timeStamp}: 5.0 carries one readingQualityCode; ${quality} written, ${dropped.join(', ')} not`);
    return { value, timeStamp, ...(quality === undefined ? {} : { readingQualityCode: quality }), readingTypeCode: { code: readingType, fields: {} } };
  };
  const readingValues: ReadingValue[] = [];
  for (const block of input.blocks ?? []) {
    block.values.forEach((value, index) => readingValues.push(valueOf(block.readingType, intervalEndAt(block, index), value, block.qualities[index] ?? [])));
  }
  for (const read of input.reads ?? []) readingValues.push(valueOf(read.readingType, read.timeStamp, read.value, read.qualities));
  return { record: { ...(options.referableID === undefined ? {} : { referableID: options.referableID }), meterID, readingValues, errors: [] }, warnings };
}
