/**
 * Pure: which parts of a meter's interval series belong to which usage point. The assignment
 * history (cim.md §6) says which usage point a meter served when; a series that straddles a meter
 * exchange is cut at the exchange instant, so the removed meter's intervals before it and the new
 * meter's intervals after it land on the same usage point day, each slot from one meter only (no
 * double counting), and intervals outside any assignment are left over for quarantine.
 */
import type { IntervalSeries } from './store/day-vector.js';

/** One validity interval of an assignment, clipped or not; `validTo` exclusive, absent while open. */
export interface AssignmentPeriod {
  readonly usagePoint: string;
  readonly timeZone: string;
  readonly validFrom: string;
  readonly validTo?: string;
}

export interface AssignedSeries {
  readonly usagePoint: string;
  readonly timeZone: string;
  readonly series: IntervalSeries;
}

export interface SeriesByAssignment {
  readonly assigned: AssignedSeries[];
  /** Runs of intervals no assignment covers: the caller quarantines them with that reason. */
  readonly unassigned: IntervalSeries[];
}

function subSeries(series: IntervalSeries, from: number, to: number): IntervalSeries {
  return {
    start: new Date(Date.parse(series.start) + from * series.intervalSeconds * 1000).toISOString(),
    intervalSeconds: series.intervalSeconds,
    values: series.values.slice(from, to),
    qualities: series.qualities.slice(from, to),
  };
}

/**
 * Gives each interval to the assignment in force at the interval's start. An interval that an
 * exchange cuts in two (an exchange at 10:07 in a 15-minute series) goes to the meter installed
 * at its start: the removed meter measured most of it, and the slot must not count twice.
 */
export function splitSeriesByAssignments(series: IntervalSeries, periods: readonly AssignmentPeriod[]): SeriesByAssignment {
  const startMillis = Date.parse(series.start);
  const stepMillis = series.intervalSeconds * 1000;
  const owners = series.values.map((_, index) => {
    const at = startMillis + index * stepMillis;
    return periods.find((period) => Date.parse(period.validFrom) <= at && (period.validTo === undefined || at < Date.parse(period.validTo)));
  });
  const assigned: AssignedSeries[] = [];
  const unassigned: IntervalSeries[] = [];
  let runStart = 0;
  for (let index = 1; index <= owners.length; index++) {
    if (index < owners.length && owners[index] === owners[runStart]) continue;
    const owner = owners[runStart];
    const part = subSeries(series, runStart, index);
    if (owner === undefined) unassigned.push(part);
    else assigned.push({ usagePoint: owner.usagePoint, timeZone: owner.timeZone, series: part });
    runStart = index;
  }
  return { assigned, unassigned };
}
