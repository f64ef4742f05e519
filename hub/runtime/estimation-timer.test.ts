/**
 * The estimation sweep on its timer: a day whose gap was too recent at import is estimated once
 * the (injected) clock says it is due, logged and counted only then, on both drivers; with fake
 * databases, sweeps never overlap, a failed one is logged and the next tick tries again, and
 * stopping waits for the sweep in progress.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { listExceptions } from '../../mdm/vee/exception-store.js';
import type { Transaction } from '../db/database.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { FakeDatabase } from '../http/testing/fakes.js';
import type { Logger } from '../log.js';
import { startEstimationTimer } from './estimation-timer.js';
import { createMetrics, type HubMetrics } from './metrics.js';
import { saveSweepVeeConfig, seedPendingDay, versionsOf } from './testing/pending-estimation.js';

const UP = '0190a0e1-0000-7000-8000-0000000e7001';
const METER = '0190a0e1-0000-7000-8000-0000000f7001';
const HOUR = 3_600_000;

/** A written log line: its fields as pino wrote them. */
type LogLine = Readonly<Record<string, unknown>>;

function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

async function sweptDays(metrics: HubMetrics, trigger: string): Promise<number> {
  const { values } = await metrics.estimationSweepDays.get();
  return values.find((value) => value.labels.trigger === trigger)?.value ?? 0;
}

describeEachDatabase(
  'the estimation sweep on its timer',
  (target) => {
    it('estimates a pending day once it is due, logging and counting only then', async () => {
      const db = target.db();
      await saveSweepVeeConfig(db);
      const day = await seedPendingDay(db, { usagePoint: UP, meter: METER, meterName: 'SWEEP-T1', localDate: '2024-06-12' });
      expect((await versionsOf(db, day)).map((version) => version.version)).toEqual([1]);
      const [waiting] = await listExceptions(db, { status: 'open', usagePoint: UP });
      expect(waiting?.details).toMatchObject({ estimation: { version: null, pending: [20, 21] } });

      // Two hours after the day ended the gap is still too recent for minAgeHours 24.
      let clock = new Date(Date.parse(day.end) + 2 * HOUR);
      const { log, lines } = captureLog();
      const metrics = createMetrics({ defaultMetrics: false });
      const timer = startEstimationTimer({ db, log, metrics }, { intervalMs: 10, now: () => clock });
      try {
        await timer.nextSweep();
        expect((await versionsOf(db, day)).map((version) => version.version)).toEqual([1]);
        expect(lines.filter((line) => line.level === 30 && String(line.msg).startsWith('estimation sweep:'))).toEqual([]);

        clock = new Date(Date.parse(day.end) + 25 * HOUR);
        await timer.nextSweep();
        const [imported, estimated, ...more] = await versionsOf(db, day);
        expect(more).toEqual([]);
        expect([imported?.isCurrent, estimated?.version, estimated?.isCurrent, estimated?.changeKind, estimated?.changeReason]).toEqual([false, 2, true, 'estimate', 'linear: 2 interval(s) [20,21]']);
        expect([estimated?.values[20], estimated?.values[21], estimated?.qualities[20]]).toEqual(['0.5', '0.5', [QualityCodes.ESTIMATED]]);
        const [settled] = await listExceptions(db, { status: 'open', usagePoint: UP });
        expect(settled?.details).toMatchObject({ estimation: { version: 2, methods: { linear: [20, 21] }, pending: [] } });
        expect(lines.filter((line) => line.level === 30 && line.msg === 'estimation sweep: days estimated')).toMatchObject([{ examined: 1, estimated: 1 }]);
        expect(await sweptDays(metrics, 'timer')).toBe(1);

        // Settled: the next sweeps find nothing and say so at debug only.
        await timer.nextSweep();
        expect(lines.filter((line) => line.msg === 'estimation sweep: days estimated')).toHaveLength(1);
        expect(lines.filter((line) => line.msg === 'estimation sweep: nothing due').at(-1)).toMatchObject({ level: 20, examined: 0, estimated: 0 });
      } finally {
        await timer.stop();
      }
      expect((await versionsOf(db, day)).map((version) => version.version)).toEqual([1, 2]);
    });
  },
  { migrated: true },
);

/** Counts transactions, holds each for a moment, and fails the first. */
class SlowFlakyDatabase extends FakeDatabase {
  transactions = 0;
  active = 0;
  mostActive = 0;

  override async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    this.transactions += 1;
    this.active += 1;
    this.mostActive = Math.max(this.mostActive, this.active);
    try {
      await sleep(15);
      if (this.transactions === 1) throw new Error('connection reset by peer');
      return await work(this);
    } finally {
      this.active -= 1;
    }
  }
}

/** Holds the first transaction until released. */
class GatedDatabase extends FakeDatabase {
  transactions = 0;
  private release: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  private onEnter: () => void = () => {};
  readonly entered = new Promise<void>((resolve) => {
    this.onEnter = resolve;
  });

  open(): void {
    this.release();
  }

  override async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    this.transactions += 1;
    this.onEnter();
    await this.gate;
    return work(this);
  }
}

describe('the estimation timer', () => {
  it('never overlaps two sweeps, and logs a failed one and tries again on the next tick', async () => {
    const db = new SlowFlakyDatabase();
    const { log, lines } = captureLog();
    // 1 ms between sweeps, each taking 15 ms: an interval timer would pile them up.
    const timer = startEstimationTimer({ db, log, metrics: createMetrics({ defaultMetrics: false }) }, { intervalMs: 1 });
    try {
      for (let sweep = 0; sweep < 4; sweep++) await timer.nextSweep();
    } finally {
      await timer.stop();
    }
    expect(db.mostActive).toBe(1);
    expect(db.transactions).toBeGreaterThanOrEqual(4);
    expect(lines.filter((line) => line.level === 50)).toMatchObject([{ msg: 'estimation sweep failed; the next tick tries again' }]);
    expect(lines.filter((line) => line.msg === 'estimation sweep: nothing due').length).toBeGreaterThanOrEqual(3);
  });

  it('stops the timer and waits for the sweep in progress', async () => {
    const db = new GatedDatabase();
    const timer = startEstimationTimer({ db, log: captureLog().log, metrics: createMetrics({ defaultMetrics: false }) }, { intervalMs: 1 });
    await db.entered;
    let stopped = false;
    const stopping = timer.stop().then(() => {
      stopped = true;
    });
    await sleep(30);
    expect(stopped).toBe(false);
    db.open();
    await stopping;
    await sleep(30);
    expect(db.transactions).toBe(1);
  });
});
