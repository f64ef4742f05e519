/**
 * One run of the meter data core's estimation sweep (mdm/estimation/sweep.ts) over every due
 * day: a page at a time, each page in its own transaction, so a long run holds its day locks
 * briefly and a failure loses only the page it broke. The hub's timer, `POST
 * /api/vee/estimation-runs` and `busbar vee estimate` all run it. Two runs at once are safe: the
 * sweep locks the days it estimates, and a day already estimated is not estimated again.
 */
import { estimateDue } from '../../mdm/estimation/sweep.js';
import type { DayKey } from '../../mdm/store/interval-day-batch.js';
import type { Database } from '../db/database.js';

/** Days listed in a run's report; the counts cover every day. */
export const ESTIMATION_RUN_LIST_MAX = 1000;

/** One day the run gave an estimate version. */
export interface EstimationRunDay {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly version: number;
  /** What each method filled, and what none could (`not estimated: …`). */
  readonly reason: string;
}

export interface EstimationRunReport {
  /** Days whose VEE items still listed intervals to estimate. */
  readonly examined: number;
  /** Days given an estimate version, listed or not. */
  readonly estimatedDays: number;
  /** The days estimated, in the sweep's order, up to `listMax`. */
  readonly estimated: EstimationRunDay[];
  /** True when more days were estimated than are listed. */
  readonly truncated: boolean;
}

export interface EstimationRunOptions {
  /** Intervals must have ended the policy's minAgeHours before this instant; one clock for the whole run. */
  readonly now: Date;
  /** Days examined per page (transaction); mdm's default when absent. */
  readonly pageSize?: number;
  readonly listMax?: number;
  /** Stops between pages (shutdown): what was committed stays, the rest waits for the next run. */
  readonly signal?: AbortSignal;
  /** Called as each page commits with the days it estimated (metrics count as they go). */
  readonly onPage?: (estimatedDays: number) => void;
}

export async function runEstimationSweep(db: Database, options: EstimationRunOptions): Promise<EstimationRunReport> {
  const listMax = options.listMax ?? ESTIMATION_RUN_LIST_MAX;
  const listed: EstimationRunDay[] = [];
  let examined = 0;
  let estimatedDays = 0;
  let cursor: DayKey | undefined;
  const now = options.now.toISOString();
  do {
    if (options.signal?.aborted === true) break;
    const page = await db.transaction((tx) =>
      estimateDue(tx, { now, after: cursor, ...(options.pageSize === undefined ? {} : { limit: options.pageSize }) }),
    );
    examined += page.examined;
    let pageDays = 0;
    // A day no method could fill keeps its version: it was examined, not estimated.
    for (const day of page.estimated) {
      const { version } = day;
      if (version === undefined) continue;
      pageDays += 1;
      if (listed.length < listMax) listed.push({ usagePoint: day.usagePoint, readingType: day.readingType, localDate: day.localDate, version, reason: day.reason });
    }
    estimatedDays += pageDays;
    options.onPage?.(pageDays);
    cursor = page.next;
  } while (cursor !== undefined);
  return { examined, estimatedDays, estimated: listed, truncated: estimatedDays > listed.length };
}
