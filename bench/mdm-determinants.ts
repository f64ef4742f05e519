/**
 * `npx tsx bench/mdm-determinants.ts [--usage-points N] [--runs R] [--driver postgres|pglite|both]`
 *
 * Measures billing determinants (mdm/billing/) for one-month bill periods: N usage points, each
 * with June 2024 of 15-minute kWh and kVArh (America/Chicago, 2,880 intervals each, values that
 * differ per usage point, a few estimated and missing), on an E-LGS profile with the crafted
 * month's summer/winter TOU calendar (us-federal holidays), 15-minute rolling demand and power
 * factor: 8 determinants and a power factor per bill. Prints, over R passes of all N usage points:
 *
 * - determinants/s end to end (billingDeterminantsOf: find the usage point, its profile and TOU
 *   calendar, read 60 day rows, compute), one bill at a time on one connection;
 * - reading one bill's 60 day rows alone, and the pure computation alone (computeDeterminants on
 *   rows already read), per bill.
 *
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a fresh
 * database created and dropped here.
 *
 * Measured 2026-12-05 (2 vCPU EPYC shared with other jobs, load average 4-5; Node 20.20,
 * PostgreSQL 15 local; defaults: 200 usage points × 3 runs): 124 one-month determinant sets/s end
 * to end (p50 7.5 ms a bill, of which 3.0 ms reading the 60 day rows), pure computation p50
 * 0.75 ms a bill.
 */
import { parseArgs } from 'node:util';
import type { Database } from '../hub/db/database.js';
import { JUNE_END, JUNE_START, JUNE_ZONE, juneDays, KVARH_15, KWH_15, SUMMER_WINTER } from '../mdm/billing/__fixtures__/june-2024.js';
import { findUsagePoint, readBillingDays } from '../mdm/billing/billing-data.js';
import { compileTouCalendar } from '../mdm/billing/calendar.js';
import { billingDeterminantsOf } from '../mdm/billing/compute.js';
import { saveBillingProfile, saveTouCalendar } from '../mdm/billing/config-store.js';
import { TouCalendarSchema } from '../mdm/billing/config.js';
import { computeDeterminants } from '../mdm/billing/determinants.js';
import type { IntervalDayRow } from '../mdm/billing/interval-series.js';
import { planReadingTypes } from '../mdm/billing/reading-type-plan.js';
import { US_FEDERAL_HOLIDAYS } from '../mdm/calendar/holidays.js';
import { upsertUsagePoint } from '../mdm/master-data.js';
import { sliceForUsagePoint, type StoredSlice } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';
import { positiveOption, withFreshPostgres, withPglite } from './databases.js';
import { describeMachine } from './machine.js';
import { percentile } from './measure.js';

const PROFILE = { rateClass: 'E-LGS', effectiveFrom: '2024-01-01', readingTypes: [KWH_15], touCalendar: SUMMER_WINTER.name, demand: { windowMinutes: 15, window: 'rolling' }, powerFactor: true } as const;

interface Options {
  usagePoints: number;
  runs: number;
  driver: 'postgres' | 'pglite' | 'both';
}

function usagePointId(index: number): string {
  return `0190be00-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** The crafted June, scaled per usage point so no two bills are alike. */
function rowsFor(index: number): { kwh: IntervalDayRow[]; kvarh: IntervalDayRow[] } {
  const factor = 1 + (index % 17) / 10;
  const scale = (rows: IntervalDayRow[]) => rows.map((row) => ({ ...row, values: row.values.map((value) => (value === null ? null : (Number(value) * factor).toFixed(3))) }));
  const { kwh, kvarh } = juneDays();
  return { kwh: scale(kwh), kvarh: scale(kvarh) };
}

function slicesOf(rows: readonly IntervalDayRow[], usagePoint: string, readingType: string): StoredSlice[] {
  return rows.flatMap((row) => sliceForUsagePoint({ start: row.dayStart, intervalSeconds: 900, values: row.values, qualities: row.qualities }, { usagePoint, readingType, timeZone: JUNE_ZONE }));
}

async function load(db: Database, usagePoints: number): Promise<void> {
  const started = performance.now();
  await db.transaction(async (tx) => {
    await saveTouCalendar(tx, SUMMER_WINTER, 'bench');
    await saveBillingProfile(tx, PROFILE, 'bench');
  });
  for (let first = 0; first < usagePoints; first += 50) {
    await db.transaction(async (tx) => {
      for (let index = first; index < Math.min(usagePoints, first + 50); index++) {
        const mRID = usagePointId(index);
        await upsertUsagePoint(tx, { mRID, commodity: 'electric', rateClass: 'E-LGS', timeZone: JUNE_ZONE, connectionState: 'connected' });
        const { kwh, kvarh } = rowsFor(index);
        await writeIntervalSlices(tx, [...slicesOf(kwh, mRID, KWH_15), ...slicesOf(kvarh, mRID, KVARH_15)], { by: 'bench', kind: 'import' });
      }
    });
  }
  await db.query('ANALYZE mdm.interval_day');
  console.log(`loaded ${usagePoints} usage points × 30 days × 2 ReadingTypes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function measure(db: Database, options: Options): Promise<void> {
  await load(db, options.usagePoints);
  const perBill: number[] = [];
  let bills = 0;
  const started = performance.now();
  for (let run = 0; run < options.runs; run++) {
    for (let index = 0; index < options.usagePoints; index++) {
      const billStarted = performance.now();
      const outcome = await billingDeterminantsOf(db, { usagePoint: usagePointId(index), from: JUNE_START, to: JUNE_END });
      if (outcome.status !== 'computed' || outcome.determinants.determinants.length !== 8) throw new Error(`bill ${index}: ${JSON.stringify(outcome).slice(0, 300)}`);
      perBill.push(performance.now() - billStarted);
      bills++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`end to end: ${bills} one-month bills in ${seconds.toFixed(2)} s = ${Math.round(bills / seconds)} determinant sets/s; per bill p50 ${percentile(perBill, 50).toFixed(2)} ms, p95 ${percentile(perBill, 95).toFixed(2)} ms`);

  // The pure part on rows already read: what a bill costs after the database answered.
  const lookup = await findUsagePoint(db, usagePointId(0));
  if (lookup.status !== 'found') throw new Error('usage point 0 not found');
  const reads: number[] = [];
  for (let run = 0; run < 100; run++) {
    const readStarted = performance.now();
    await readBillingDays(db, usagePointId(run % options.usagePoints), [KWH_15, KVARH_15], { start: JUNE_START, end: JUNE_END });
    reads.push(performance.now() - readStarted);
  }
  console.log(`reading a bill's 60 day rows: p50 ${percentile(reads, 50).toFixed(2)} ms, p95 ${percentile(reads, 95).toFixed(2)} ms`);
  const rows = await readBillingDays(db, lookup.usagePoint.mRID, [KWH_15, KVARH_15], { start: JUNE_START, end: JUNE_END });
  const plan = planReadingTypes(PROFILE);
  if ('problem' in plan) throw new Error(plan.problem);
  const tou = compileTouCalendar(TouCalendarSchema.parse(SUMMER_WINTER), US_FEDERAL_HOLIDAYS);
  const input = { usagePoint: lookup.usagePoint.mRID, timeZone: JUNE_ZONE, periodStart: JUNE_START, periodEnd: JUNE_END, plan, tou, intervalDays: rows, services: [], registerReads: [] };
  for (let warm = 0; warm < 50; warm++) computeDeterminants(input);
  const pure: number[] = [];
  for (let run = 0; run < 500; run++) {
    const computeStarted = performance.now();
    computeDeterminants(input);
    pure.push(performance.now() - computeStarted);
  }
  console.log(`pure computation (2 × 2,880 intervals, 8 determinants and a power factor): p50 ${percentile(pure, 50).toFixed(2)} ms, p95 ${percentile(pure, 95).toFixed(2)} ms per bill`);
}

export async function runMdmDeterminantsBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { 'usage-points': { type: 'string' }, runs: { type: 'string' }, driver: { type: 'string' } },
    strict: true,
  });
  const driver = values.driver ?? 'postgres';
  if (driver !== 'postgres' && driver !== 'pglite' && driver !== 'both') throw new Error(`--driver: expected postgres, pglite or both, got ${driver}`);
  const options: Options = { usagePoints: positiveOption(values['usage-points'], 200, 'usage-points'), runs: positiveOption(values.runs, 3, 'runs'), driver };
  if (driver !== 'pglite') {
    console.log('driver: postgres');
    await withFreshPostgres((db) => measure(db, options));
  }
  if (driver !== 'postgres') {
    console.log('driver: pglite (in memory)');
    await withPglite((db) => measure(db, options));
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: npx tsx bench/mdm-determinants.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
  runMdmDeterminantsBenchmark(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
