/**
 * The estimation sweep on a timer (`mdm.estimation.sweepMinutes`): intervals too recent for the
 * estimation policy when their day was imported are estimated once they are old enough, without
 * anyone asking. The next sweep is scheduled only when the previous one has ended, so two never
 * overlap; a failed sweep is logged and the next tick tries again (what its committed pages
 * estimated stays). Stopping clears the timer and waits for a sweep in progress, which ends after
 * the page it is on.
 */
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { runEstimationSweep } from './estimation-sweep.js';
import type { HubMetrics } from './metrics.js';

export interface EstimationTimer {
  /** Resolves once the sweep in progress (if any) has ended; no sweep starts after. */
  stop(): Promise<void>;
  /** Resolves when the sweep in progress, or else the next one, has ended, whatever its outcome (or at stop): lets tests wait without sleeping. */
  nextSweep(): Promise<void>;
}

export interface EstimationTimerOptions {
  readonly intervalMs: number;
  /** The clock the sweep judges minAgeHours by; the real one by default. */
  readonly now?: () => Date;
  /** Days per page (transaction); the meter data core's default when absent. */
  readonly pageSize?: number;
}

export function startEstimationTimer(deps: { db: Database; log: Logger; metrics: HubMetrics }, options: EstimationTimerOptions): EstimationTimer {
  const controller = new AbortController();
  const now = options.now ?? (() => new Date());
  const log = deps.log.child({ component: 'estimation-sweep' });
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  let sweepWaiters: Array<() => void> = [];

  const sweep = async (): Promise<void> => {
    const started = Date.now();
    const report = await runEstimationSweep(deps.db, {
      now: now(),
      // The timer only counts; REST and the CLI list the days.
      listMax: 0,
      signal: controller.signal,
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      onPage: (days) => {
        if (days > 0) deps.metrics.estimationSweepDays.inc({ trigger: 'timer' }, days);
      },
    });
    const summary = { examined: report.examined, estimated: report.estimatedDays, ms: Date.now() - started };
    if (report.estimatedDays > 0) log.info(summary, 'estimation sweep: days estimated');
    else log.debug(summary, 'estimation sweep: nothing due');
  };

  const schedule = (): void => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      sweeping = sweep()
        .catch((error: unknown) => log.error({ err: error }, 'estimation sweep failed; the next tick tries again'))
        .finally(() => {
          const waiters = sweepWaiters;
          sweepWaiters = [];
          for (const resolve of waiters) resolve();
          schedule();
        });
    }, options.intervalMs);
  };
  schedule();
  log.info({ intervalMs: options.intervalMs }, 'estimation sweep scheduled');

  return {
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await sweeping;
      for (const resolve of sweepWaiters) resolve();
      sweepWaiters = [];
    },
    nextSweep: () => new Promise<void>((resolve) => sweepWaiters.push(resolve)),
  };
}
