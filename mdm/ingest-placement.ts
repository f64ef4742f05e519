/**
 * Pure: where the readings of one resolved event go. An interval block is cut at the meter's
 * assignment changes (meter-assignment.ts: an exchange mid-block sends each part to the usage
 * point of the meter that measured it, each interval once), then into local days of that usage
 * point's zone; runs no assignment covers come back for quarantine. A register read goes to the
 * usage point its meter served at that instant. Readings are keyed on the usage point, never on
 * the meter alone (cim.md §10).
 */
import { InputError } from '../canonical/errors.js';
import type { IntervalBlock } from '../canonical/model/interval-block.js';
import type { RegisterRead } from '../canonical/model/register-read.js';
import { assignmentAtRead, type TargetResolution } from './ingest-resolution.js';
import { splitSeriesByAssignments } from './meter-assignment.js';
import { type IntervalSeries, sliceForUsagePoint, type StoredSlice } from './store/day-vector.js';
import type { StoredRegisterRead } from './store/register-store.js';

/** Why (part of) an event's readings are not stored, and the raw part to quarantine. */
export interface Refusal {
  readonly reason: string;
  readonly detail: string;
  readonly field?: string;
  readonly raw: unknown;
}

export interface BlockPlacement {
  readonly slices: StoredSlice[];
  readonly refusals: Refusal[];
  /** Interval values handed to the store. */
  readonly readings: number;
}

/** The block restricted to a run of its intervals, as an operator would re-send it. */
function blockPart(block: IntervalBlock, part: IntervalSeries): IntervalBlock {
  const from = Math.round((Date.parse(part.start) - Date.parse(block.start)) / (block.intervalSeconds * 1000));
  const to = from + part.values.length;
  return {
    ...block,
    start: part.start,
    values: block.values.slice(from, to),
    qualities: block.qualities.slice(from, to),
    ...(block.sourceStatuses === undefined ? {} : { sourceStatuses: block.sourceStatuses.slice(from, to) }),
  };
}

function describeReference(block: IntervalBlock): string {
  const reference = block.meter;
  if (reference === undefined) return 'the meter';
  return reference.mRID !== undefined ? `meter mRID ${reference.mRID}` : `meter ${reference.nameType ?? '?'} ${JSON.stringify(reference.name ?? '')}`;
}

/**
 * Slices a resolved block. An InputError from slicing (a series off the day's interval grid, an
 * interval that does not divide a DST day) refuses the whole block: storing part of a block the
 * source got wrong would hide the error.
 */
export function placeIntervalBlock(block: IntervalBlock, resolution: TargetResolution): BlockPlacement {
  if ('status' in resolution) return { slices: [], refusals: [{ ...resolution, raw: block }], readings: 0 };
  const series: IntervalSeries = { start: block.start, intervalSeconds: block.intervalSeconds, values: block.values, qualities: block.qualities };
  const readingType = block.readingType;
  try {
    if (resolution.kind === 'usagePoint') {
      const slices = sliceForUsagePoint(series, { usagePoint: resolution.usagePoint, readingType, timeZone: resolution.timeZone });
      return { slices, refusals: [], readings: block.values.length };
    }
    const split = splitSeriesByAssignments(series, resolution.periods);
    const slices = split.assigned.flatMap((part) => sliceForUsagePoint(part.series, { usagePoint: part.usagePoint, readingType, timeZone: part.timeZone }));
    const refusals = split.unassigned.map((part): Refusal => {
      const end = new Date(Date.parse(part.start) + part.values.length * part.intervalSeconds * 1000).toISOString();
      return {
        reason: 'meter-not-assigned',
        detail: `${describeReference(block)} served no usage point from ${part.start} to ${end}`,
        field: 'meter',
        raw: blockPart(block, part),
      };
    });
    const readings = split.assigned.reduce((count, part) => count + part.series.values.length, 0);
    return { slices, refusals, readings };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { slices: [], refusals: [{ reason: 'invalid-block', detail: error.message, field: 'start', raw: block }], readings: 0 };
  }
}

export type ReadPlacement = { readonly read: StoredRegisterRead } | { readonly refusal: Refusal };

/** A register read is stored per meter (register-store.ts), so it needs the meter it came from. */
export function placeRegisterRead(read: RegisterRead, resolution: TargetResolution): ReadPlacement {
  if ('status' in resolution) return { refusal: { ...resolution, raw: read } };
  if (resolution.kind !== 'meter') {
    return {
      refusal: {
        reason: 'meter-required',
        detail: 'a register read is stored per meter (the removed and installed meters both read at an exchange) and this one names only a usage point',
        field: 'meter',
        raw: read,
      },
    };
  }
  const period = assignmentAtRead(resolution.periods, read.timeStamp);
  if (period === undefined) {
    return { refusal: { reason: 'meter-not-assigned', detail: `meter ${resolution.meter} served no usage point at ${read.timeStamp}`, field: 'meter', raw: read } };
  }
  const stored: StoredRegisterRead = {
    usagePoint: period.usagePoint,
    meter: resolution.meter,
    readingType: read.readingType,
    timeStamp: read.timeStamp,
    value: read.value,
    qualities: read.qualities,
    ...(read.register === undefined ? {} : { register: read.register }),
    ...(read.reason === undefined ? {} : { reason: read.reason }),
    ...(read.source === undefined ? {} : { source: read.source }),
  };
  return { read: stored };
}
