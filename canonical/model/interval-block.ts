/**
 * IntervalBlock: the bus form of interval data (DESIGN.md, cim.md §3): one usage point (or meter,
 * until a core resolves the usage point), one ReadingType, a start, an interval length and two
 * parallel vectors, values and qualities. Interval i covers [start + i·interval,
 * start + (i+1)·interval); CIM's IntervalReading.timeStamp is that interval's end.
 */
import { z } from 'zod';
import { DecimalStringSchema, isDecimalString } from '../decimal.js';
import { isQualityCode, QualityCodeSchema } from '../quality.js';
import { isReadingTypeCode, measuringPeriodSeconds, parseReadingType, ReadingTypeCodeSchema } from '../reading-type.js';
import { InstantSchema, isInstant } from '../time.js';
import { MridSchema, ReferenceSchema } from './identity.js';

const HOUR = 3_600;
const DAY = 86_400;

/**
 * An interval length the block can carry: one that divides an hour, a whole number of hours that
 * divides a day (CMEP v1.20 §8: "Intervals shorter than a day must repeat at midnight"), or a
 * whole number of days. Calendar months have no fixed length in seconds and travel as reads.
 */
export function isSupportedIntervalSeconds(seconds: number): boolean {
  if (!Number.isInteger(seconds) || seconds <= 0) return false;
  if (seconds <= HOUR) return HOUR % seconds === 0;
  if (seconds < DAY) return seconds % HOUR === 0 && DAY % seconds === 0;
  return seconds % DAY === 0;
}

export const IntervalBlockSchema = z
  .strictObject({
    usagePoint: ReferenceSchema.optional(),
    meter: ReferenceSchema.optional(),
    readingType: ReadingTypeCodeSchema,
    /** Start of the first interval (UTC). */
    start: InstantSchema,
    intervalSeconds: z.number({ error: 'expected interval length in seconds' }).int().positive(),
    /** Decimal strings; null is a missing value, never 0 (cim.md §10). */
    values: z.array(DecimalStringSchema.nullable()).min(1),
    /** Per interval, the quality codes (possibly several, possibly none). */
    qualities: z.array(z.array(QualityCodeSchema)),
    /** Per interval, the vendor's own status text kept unmodified (e.g. CMEP flag `R0`), or null. */
    sourceStatuses: z.array(z.string().nullable()).optional(),
    /** The producing system's name for the series or file, for audit (e.g. `cmep:feedA`). */
    source: z.string().min(1).optional(),
  })
  .superRefine((block, ctx) => {
    if (block.usagePoint === undefined && block.meter === undefined) {
      ctx.addIssue({ code: 'custom', path: ['usagePoint'], message: 'a block needs a usagePoint or a meter' });
    }
    if (block.qualities.length !== block.values.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['qualities'],
        message: `expected ${block.values.length} entries (one per value), got ${block.qualities.length}`,
      });
    }
    if (block.sourceStatuses !== undefined && block.sourceStatuses.length !== block.values.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['sourceStatuses'],
        message: `expected ${block.values.length} entries (one per value), got ${block.sourceStatuses.length}`,
      });
    }
    if (!isSupportedIntervalSeconds(block.intervalSeconds)) {
      ctx.addIssue({
        code: 'custom',
        path: ['intervalSeconds'],
        message: 'interval must divide an hour, be whole hours dividing a day, or be whole days',
      });
    }
    const period = readingTypePeriod(block.readingType);
    if (period !== undefined && period !== block.intervalSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['intervalSeconds'],
        message: `${block.intervalSeconds} s contradicts the ReadingType measuring period of ${period} s`,
      });
    }
  });
export type IntervalBlock = z.infer<typeof IntervalBlockSchema>;

/**
 * Exactly IntervalBlockSchema's verdict for a valid block, without building a copy of it: the
 * meter data path checks every block twice (producer and consumer), and the schema's parse copies
 * every array. False means "ask the schema", which then says what is wrong; the catalog uses this
 * as a fast path only (events/catalog.ts). test: interval-block.test.ts compares both on mutations.
 */
export function isIntervalBlock(data: unknown): data is IntervalBlock {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const block = data as Record<string, unknown>;
  for (const key in block) if (!BLOCK_KEYS.has(key)) return false;
  const { usagePoint, meter, readingType, start, intervalSeconds, values, qualities, sourceStatuses, source } = block;
  if (usagePoint === undefined && meter === undefined) return false;
  if ((usagePoint !== undefined && !isReference(usagePoint)) || (meter !== undefined && !isReference(meter))) return false;
  if (typeof readingType !== 'string' || !isKnownGoodReadingType(readingType)) return false;
  if (typeof start !== 'string' || !isInstant(start)) return false;
  if (typeof intervalSeconds !== 'number' || !isSupportedIntervalSeconds(intervalSeconds)) return false;
  if (!Array.isArray(values) || values.length === 0 || !Array.isArray(qualities) || qualities.length !== values.length) return false;
  for (const value of values) if (value !== null && (typeof value !== 'string' || !isDecimalString(value))) return false;
  for (const codes of qualities) {
    if (!Array.isArray(codes)) return false;
    for (const code of codes) if (typeof code !== 'string' || !isQualityCode(code)) return false;
  }
  if (sourceStatuses !== undefined) {
    if (!Array.isArray(sourceStatuses) || sourceStatuses.length !== values.length) return false;
    for (const status of sourceStatuses) if (status !== null && typeof status !== 'string') return false;
  }
  if (source !== undefined && (typeof source !== 'string' || source.length === 0)) return false;
  const period = readingTypePeriod(readingType);
  return period === undefined || period === intervalSeconds;
}

const BLOCK_KEYS: ReadonlySet<string> = new Set(['usagePoint', 'meter', 'readingType', 'start', 'intervalSeconds', 'values', 'qualities', 'sourceStatuses', 'source']);
const REFERENCE_KEYS: ReadonlySet<string> = new Set(['mRID', 'name', 'nameType']);

function isReference(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const reference = value as Record<string, unknown>;
  for (const key in reference) if (!REFERENCE_KEYS.has(key)) return false;
  const { mRID, name, nameType } = reference;
  if (mRID !== undefined && (typeof mRID !== 'string' || !MridSchema.safeParse(mRID).success)) return false;
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) return false;
  if (nameType !== undefined && (typeof nameType !== 'string' || nameType.length === 0)) return false;
  return mRID !== undefined || (name !== undefined && nameType !== undefined);
}

/** Well-formed codes seen before: a feed sends a handful, each on every block. */
const goodReadingTypes = new Set<string>();

function isKnownGoodReadingType(code: string): boolean {
  if (goodReadingTypes.has(code)) return true;
  if (!isReadingTypeCode(code)) return false;
  if (goodReadingTypes.size >= 10_000) goodReadingTypes.clear();
  goodReadingTypes.add(code);
  return true;
}

/** The measuring period of a well-formed code; a malformed one has already reported its own issue. */
function readingTypePeriod(code: string): number | undefined {
  return isReadingTypeCode(code) ? measuringPeriodSeconds(parseReadingType(code)) : undefined;
}

/** The exclusive end of the block: start + count × interval. */
export function intervalBlockEnd(block: Pick<IntervalBlock, 'start' | 'intervalSeconds' | 'values'>): string {
  return new Date(Date.parse(block.start) + block.values.length * block.intervalSeconds * 1000).toISOString();
}

/** The end instant of interval `index` (CIM IntervalReading.timeStamp convention). */
export function intervalEndAt(block: Pick<IntervalBlock, 'start' | 'intervalSeconds'>, index: number): string {
  return new Date(Date.parse(block.start) + (index + 1) * block.intervalSeconds * 1000).toISOString();
}
