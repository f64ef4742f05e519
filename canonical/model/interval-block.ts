/**
 * IntervalBlock: the bus form of interval data (DESIGN.md, cim.md §3): one usage point (or meter,
 * until a core resolves the usage point), one ReadingType, a start, an interval length and two
 * parallel vectors, values and qualities. Interval i covers [start + i·interval,
 * start + (i+1)·interval); CIM's IntervalReading.timeStamp is that interval's end.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../decimal.js';
import { QualityCodeSchema } from '../quality.js';
import { isReadingTypeCode, measuringPeriodSeconds, parseReadingType, ReadingTypeCodeSchema } from '../reading-type.js';
import { InstantSchema } from '../time.js';
import { ReferenceSchema } from './identity.js';

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
