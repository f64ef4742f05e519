/**
 * Where a batch of incoming readings belongs: every meter reference of the batch is resolved
 * through the assignment history in one statement and every usage point reference in another
 * (master-data.ts), however many events the batch holds, because a query per event would cost
 * more than writing the event's readings.
 */
import type { Reference } from '../canonical/model/identity.js';
import { type MeterPeriodRequest, resolveMetersPeriods, resolveUsagePoints, type Unresolved } from './master-data.js';
import type { AssignmentPeriod } from './meter-assignment.js';
import type { SqlExecutor } from './sql.js';

/** What a reading names: a usage point directly, or a meter over the period its readings cover. */
export type ReadingTarget =
  | { readonly kind: 'usagePoint'; readonly reference: Reference }
  | { readonly kind: 'meter'; readonly reference: Reference; readonly start: string; readonly end: string };

export type TargetResolution =
  | { readonly kind: 'usagePoint'; readonly usagePoint: string; readonly timeZone: string }
  | { readonly kind: 'meter'; readonly meter: string; readonly periods: readonly AssignmentPeriod[] }
  | (Unresolved & { readonly field: 'usagePoint' | 'meter' });

/** Resolves the targets of a whole batch in at most two statements; results in target order. */
export async function resolveTargets(db: SqlExecutor, targets: readonly ReadingTarget[]): Promise<TargetResolution[]> {
  const meterRequests: MeterPeriodRequest[] = [];
  const usagePointReferences: Reference[] = [];
  // Position of each target in its kind's request list.
  const positions = targets.map((target) => {
    if (target.kind === 'meter') return meterRequests.push({ meter: target.reference, start: target.start, end: target.end }) - 1;
    return usagePointReferences.push(target.reference) - 1;
  });
  const meters = await resolveMetersPeriods(db, meterRequests);
  const usagePoints = await resolveUsagePoints(db, usagePointReferences);
  return targets.map((target, index): TargetResolution => {
    const position = positions[index] ?? -1;
    if (target.kind === 'meter') {
      const resolution = meters[position];
      if (resolution === undefined) throw new Error(`meter resolution missing for target ${index}`);
      if (resolution.status === 'unknown') return { ...resolution, field: 'meter' };
      return { kind: 'meter', meter: resolution.meter, periods: resolution.periods };
    }
    const resolution = usagePoints[position];
    if (resolution === undefined) throw new Error(`usage point resolution missing for target ${index}`);
    if (resolution.status === 'unknown') return { ...resolution, field: 'usagePoint' };
    return { kind: 'usagePoint', usagePoint: resolution.usagePoint, timeZone: resolution.timeZone };
  });
}

const MILLISECOND = 1;

/**
 * The period to resolve a register read's meter over: a millisecond either side of its instant,
 * so the assignment that ends exactly then is found too (see `assignmentAtRead`).
 */
export function readPeriod(timeStamp: string): { start: string; end: string } {
  const at = Date.parse(timeStamp);
  return { start: new Date(at - MILLISECOND).toISOString(), end: new Date(at + MILLISECOND).toISOString() };
}

/**
 * The assignment a register read at `timeStamp` belongs to: the one in force then, else the one
 * that ends exactly then. cim.md §7: an exchange stores the removed meter's final read and the
 * installed meter's initial read at the same instant, and the removed meter's assignment ends
 * (exclusively) at that instant, so its final read would otherwise belong to no usage point.
 */
export function assignmentAtRead(periods: readonly AssignmentPeriod[], timeStamp: string): AssignmentPeriod | undefined {
  const at = Date.parse(timeStamp);
  const inForce = periods.find((period) => Date.parse(period.validFrom) <= at && (period.validTo === undefined || at < Date.parse(period.validTo)));
  return inForce ?? periods.find((period) => period.validTo !== undefined && Date.parse(period.validTo) === at);
}
