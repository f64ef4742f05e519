/**
 * `npm run bench -- mdm-aggregate [--usage-points N] [--days D] [--history H] [--runs R] [--driver postgres|pglite|both]`
 *
 * Measures consumption aggregation (mdm/aggregation.ts) over N usage points × D local days of 96
 * quarter-hour values (America/Chicago), written through the store's path (sliceForUsagePoint +
 * writeIntervalSlices, 1,000 usage points a transaction), after H days of history that the period
 * leaves out (they show that a period costs its own days, not the store's size). The network is
 * utility-shaped: 40 feeders, a transformer per 25 usage points (every 50th on no feeder), 98% of
 * usage points linked since 2020, 1% re-homed to another transformer at noon UTC of the period's
 * first day, 1% never linked; three rate classes and 1% with none. Values differ per usage point
 * and day; every interval is validated (3.0.1), except that every 50th usage point has a missing
 * and an estimated interval a day. Each grouping runs R times over the whole days and R times
 * over a period that cuts the first and last day, and prints the median with intervals/s; the
 * totals of the three groupings must agree. Loading is timed apart. PostgreSQL: DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres), in a fresh database created and dropped
 * here.
 *
 * Measured 2026-12-05 (2 vCPU EPYC shared with other jobs, load average 1.5-3.7; Node 20.20,
 * PostgreSQL 15 local; defaults: 100,000 usage points × 1 day = 9.6M intervals), medians:
 *   whole day: 2.7 s by rate class, 3.7 s by feeder, 3.8 s by transformer (4,001 groups);
 *   cut at both ends (6.3M intervals): 2.3 s, 3.3 s, 3.3 s. Peak RSS 191 MiB: the database
 *   sends one row per group. Unnesting the 9.6M numerics alone takes 1.1-1.4 s in one PostgreSQL
 *   process here; the rest is the join to rate classes or links and the per-usage-point step.
 */
import { parseArgs } from 'node:util';
import { ExactDecimal, toDecimalString } from '../canonical/decimal.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import type { Database } from '../hub/db/database.js';
import { AGGREGATION_GROUPINGS, aggregateConsumption, type ConsumptionAggregate } from '../mdm/aggregation.js';
import { type IntervalSeries, sliceForUsagePoint, type StoredSlice } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';
import { positiveOption, withFreshPostgres, withPglite } from './databases.js';
import { formatRate, percentile, trackPeakRss } from './measure.js';

const ZONE = 'America/Chicago';
const READING_TYPE = ReadingTypeCodes.IntervalKwhForward15Min;
const PER_DAY = 96;
const DAY_MILLIS = 86_400_000;
const USAGE_POINTS_PER_TRANSACTION = 1_000;
const FIRST_DAY_START = Date.parse('2026-01-05T06:00:00Z'); // local midnight in Chicago (CST)
const FEEDERS = 40;
const USAGE_POINTS_PER_TRANSFORMER = 25;

interface Options {
  usagePoints: number;
  days: number;
  history: number;
  runs: number;
  driver: 'postgres' | 'pglite' | 'both';
}

const id = (group: string, index: number) => `0190a0e1-0000-7000-${group}-${index.toString(16).padStart(12, '0')}`;
const usagePointId = (index: number) => id('8000', index);
const transformerId = (index: number) => id('9000', index);
const feederId = (index: number) => id('a000', index);

/**
 * A day's values, different for every usage point and day: identical vectors would let the
 * database cache per-day results (Memoize) and flatter the figure. Mulberry32 (a small seeded
 * PRNG) keeps runs reproducible.
 */
function dayValues(day: number, usagePoint: number): string[] {
  let seed = (usagePoint * 2_654_435_761 + day * 40_503) >>> 0;
  return Array.from({ length: PER_DAY }, () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((((t ^ (t >>> 14)) >>> 0) % 2_000) / 1_000).toFixed(3);
  });
}

/** As VEE leaves them: every interval validated (3.0.1). */
const VALIDATED: string[][] = Array.from({ length: PER_DAY }, () => ['3.0.1']);

function daySeries(day: number, usagePoint: number): IntervalSeries {
  const values: (string | null)[] = dayValues(day, usagePoint);
  const start = new Date(FIRST_DAY_START + day * DAY_MILLIS).toISOString();
  if (usagePoint % 50 !== 0) return { start, intervalSeconds: 900, values, qualities: VALIDATED };
  values[17] = null;
  const qualities = VALIDATED.map((codes, index) => (index === 17 ? ['2.5.259'] : index === 18 ? ['3.8.1'] : codes));
  return { start, intervalSeconds: 900, values, qualities };
}

async function createNetwork(db: Database, count: number, history: number): Promise<void> {
  const transformers = Math.ceil(count / USAGE_POINTS_PER_TRANSFORMER);
  const indexes = (length: number) => Array.from({ length }, (_, index) => index);
  await db.query(
    `INSERT INTO mdm.feeder (mrid, name, substation) SELECT f, 'FDR-' || n, 'SUB-' || (n % 8) FROM unnest($1::uuid[]) WITH ORDINALITY AS x(f, n)`,
    [indexes(FEEDERS).map(feederId)],
  );
  await db.query(
    `INSERT INTO mdm.transformer (mrid, name, feeder_mrid, phases, rated_kva)
     SELECT t, 'XF-' || n, f, 'A', 50 FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS x(t, f, n)`,
    [indexes(transformers).map(transformerId), indexes(transformers).map((index) => (index % 50 === 49 ? null : feederId(index % FEEDERS)))],
  );
  const ups = indexes(count);
  const rateClass = (index: number) => (index % 100 === 99 ? null : index % 10 < 7 ? 'RES' : index % 10 < 9 ? 'SGS' : 'LGS');
  await db.query(
    `INSERT INTO mdm.usage_point (mrid, commodity, rate_class, time_zone, connection_state)
     SELECT u, 'electric', r, $3, 'connected' FROM unnest($1::uuid[], $2::text[]) AS x(u, r)`,
    [ups.map(usagePointId), ups.map(rateClass), ZONE],
  );
  const linked = ups.filter((index) => index % 100 !== 98);
  const transformerOf = (index: number) => transformerId(Math.floor(index / USAGE_POINTS_PER_TRANSFORMER));
  const rehomed = linked.filter((index) => index % 100 === 97);
  const rehomeAt = new Date(FIRST_DAY_START + (history + 0.5) * DAY_MILLIS).toISOString();
  await db.query(
    `INSERT INTO mdm.transformer_link (usage_point_mrid, valid_from, valid_to, transformer_mrid)
     SELECT u, '2020-01-01T00:00:00Z', CASE WHEN r THEN $4::timestamptz END, t FROM unnest($1::uuid[], $2::uuid[], $3::boolean[]) AS x(u, t, r)`,
    [linked.map(usagePointId), linked.map(transformerOf), linked.map((index) => index % 100 === 97), rehomeAt],
  );
  await db.query(
    `INSERT INTO mdm.transformer_link (usage_point_mrid, valid_from, transformer_mrid) SELECT u, $3, t FROM unnest($1::uuid[], $2::uuid[]) AS x(u, t)`,
    [rehomed.map(usagePointId), rehomed.map((index) => transformerOf((index + USAGE_POINTS_PER_TRANSFORMER) % count)), rehomeAt],
  );
}

async function loadDays(db: Database, options: Options): Promise<number> {
  const started = performance.now();
  for (let day = 0; day < options.history + options.days; day++) {
    for (let first = 0; first < options.usagePoints; first += USAGE_POINTS_PER_TRANSACTION) {
      const slices: StoredSlice[] = [];
      for (let up = first; up < Math.min(first + USAGE_POINTS_PER_TRANSACTION, options.usagePoints); up++) {
        slices.push(...sliceForUsagePoint(daySeries(day, up), { usagePoint: usagePointId(up), readingType: READING_TYPE, timeZone: ZONE }));
      }
      await db.transaction((tx) => writeIntervalSlices(tx, slices, { by: 'bench', kind: 'import' }));
    }
  }
  await db.exec('ANALYZE mdm.interval_day; ANALYZE mdm.transformer_link; ANALYZE mdm.usage_point; ANALYZE mdm.transformer');
  return (performance.now() - started) / 1000;
}

function totalOf(aggregate: ConsumptionAggregate): { total: string; intervals: number } {
  let total = new ExactDecimal(0);
  let intervals = 0;
  for (const group of aggregate.groups) {
    total = total.plus(group.total);
    intervals += group.intervals;
  }
  return { total: toDecimalString(total), intervals };
}

async function measure(driver: string, db: Database, options: Options, label: string, from: string, to: string): Promise<void> {
  const totals = new Set<string>();
  for (const groupBy of AGGREGATION_GROUPINGS) {
    const seconds: number[] = [];
    let last: ConsumptionAggregate | undefined;
    for (let run = 0; run < options.runs; run++) {
      const started = performance.now();
      last = await aggregateConsumption(db, { groupBy, readingType: READING_TYPE, from, to });
      seconds.push((performance.now() - started) / 1000);
    }
    if (last === undefined) throw new Error('bench: no run');
    const { total, intervals } = totalOf(last);
    totals.add(`${total} kWh in ${intervals} intervals`);
    const median = percentile([...seconds], 50);
    const unlinked = last.groups.find((group) => group.key === null);
    console.log(
      `${driver.padEnd(8)} ${label.padEnd(13)} by ${groupBy.padEnd(11)} ${last.groups.length.toLocaleString('en-US').padStart(6)} groups, ` +
        `${intervals.toLocaleString('en-US')} intervals: median ${median.toFixed(2)} s of ${seconds.map((value) => value.toFixed(2)).join(' / ')} ` +
        `(${formatRate(intervals, median)} intervals/s); null key ${unlinked?.usagePoints ?? 0} usage points`,
    );
  }
  if (totals.size !== 1) throw new Error(`bench: the groupings disagree: ${[...totals].join(' vs ')}`);
  console.log(`${driver.padEnd(8)} ${label.padEnd(13)} every grouping: ${[...totals][0] ?? ''}`);
}

async function run(driver: string, db: Database, options: Options): Promise<void> {
  await createNetwork(db, options.usagePoints, options.history);
  const loadSeconds = await loadDays(db, options);
  const rows = options.usagePoints * (options.history + options.days);
  console.log(`${driver.padEnd(8)} loaded ${rows.toLocaleString('en-US')} day rows in ${loadSeconds.toFixed(1)} s (not part of the figures)`);
  const rss = trackPeakRss();
  const start = FIRST_DAY_START + options.history * DAY_MILLIS;
  const end = start + options.days * DAY_MILLIS;
  await measure(driver, db, options, 'whole days', new Date(start).toISOString(), new Date(end).toISOString());
  // 05:15 local on the first day to 21:00 local on the last: both edge days cut.
  await measure(driver, db, options, 'cut days', new Date(start + 21 * 900_000).toISOString(), new Date(end - 12 * 900_000).toISOString());
  console.log(`${driver.padEnd(8)} peak RSS while aggregating ${rss.stop().toFixed(0)} MiB`);
}

export async function runMdmAggregateBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { 'usage-points': { type: 'string' }, days: { type: 'string' }, history: { type: 'string' }, runs: { type: 'string' }, driver: { type: 'string' } },
  });
  const driver = values.driver ?? 'postgres';
  if (driver !== 'postgres' && driver !== 'pglite' && driver !== 'both') throw new Error(`--driver: expected postgres, pglite or both, got ${driver}`);
  const options: Options = {
    usagePoints: positiveOption(values['usage-points'], 100_000, 'usage-points'),
    days: positiveOption(values.days, 1, 'days'),
    history: values.history === '0' ? 0 : positiveOption(values.history, 0, 'history'),
    runs: positiveOption(values.runs, 3, 'runs'),
    driver,
  };
  console.log(
    `mdm-aggregate: ${options.usagePoints.toLocaleString('en-US')} usage points × ${options.days} day(s) × ${PER_DAY} values (${ZONE}) ` +
      `after ${options.history} day(s) of history, ` +
      `${Math.ceil(options.usagePoints / USAGE_POINTS_PER_TRANSFORMER).toLocaleString('en-US')} transformers on ${FEEDERS} feeders, ${options.runs} runs per grouping`,
  );
  if (driver !== 'pglite') await withFreshPostgres((db) => run('postgres', db, options));
  if (driver !== 'postgres') await withPglite((db) => run('pglite', db, options));
}
