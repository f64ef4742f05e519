/**
 * `npm run bench -- cmep-export [--usage-points N] [--days D] [--history H] [--batch-days B] [--runs R]`
 *
 * Measures the MEPMD01 export (hub/export/cmep-export.ts over mdm/export/) from PostgreSQL: N
 * usage points × D local days of 96 quarter-hour kWh values (America/Chicago), after H days of
 * history the export leaves out (they show that an export costs its own days, not the store's
 * size). Rows are generated inside PostgreSQL (seeding a million usage points through the
 * store's write path would take longer than the export). Values differ per interval; every
 * interval is validated (3.0.1) except that every 50th usage point has a missing and two
 * estimated intervals a day; every 20th usage point is on a meter with a CT ratio of 40, the rest
 * on none. Each of three exports runs R times, written to a file (CR LF records): as stored and
 * multiplied (the default), raw with the multiplier as constant, and rolled up to 60 minutes;
 * the median is printed with readings/s (stored intervals read per second, wall clock) and this
 * process's CPU time, and the peak RSS of the whole run, which stays flat as N grows because the
 * export holds two batches of B days (one written, the next read ahead).
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a fresh
 * database created and dropped here.
 *
 * Measured 2026-12-05 (2 vCPU EPYC, load average 2.5-3; Node 20.20, PostgreSQL 15 local):
 *   defaults (10,000 × 3 days = 2.88M readings): 516k readings/s multiplied, 380k raw, 588k
 *   rolled up to hours; RSS 154 MiB before, peak 228 MiB.
 *   --usage-points 100000 --days 1 (9.6M readings): 438k, 417k, 538k readings/s; RSS 167 MiB
 *   before, peak 218 MiB: ten times the usage points, the same memory.
 *   Node is busy about as long as the run lasts; a fifth of its time is the CMEP writer stamping
 *   each interval, the rest reading the array text, the roll-up's decimal sums and GC.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import type { Database } from '../hub/db/database.js';
import { cmepChunks, openCmepExport } from '../hub/export/cmep-export.js';
import { type CmepExportInput, parseCmepExportInput } from '../hub/export/cmep-parameters.js';
import { positiveOption, withFreshPostgres } from './databases.js';
import { formatRate, percentile, trackPeakRss } from './measure.js';

const ZONE = 'America/Chicago';
const READING_TYPE = ReadingTypeCodes.IntervalKwhForward15Min;
const PER_DAY = 96;
const DAY_MILLIS = 86_400_000;
const FIRST_DAY = '2026-01-05';
const FIRST_DAY_START = Date.parse('2026-01-05T06:00:00Z'); // local midnight in Chicago (CST)
const USAGE_POINTS_PER_STATEMENT = 10_000;

interface Options {
  usagePoints: number;
  days: number;
  history: number;
  batchDays: number;
  runs: number;
}

const id = (group: string, index: number) => `0190a0e1-0000-7000-${group}-${index.toString(16).padStart(12, '0')}`;
const localDate = (day: number) => new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + day * DAY_MILLIS).toISOString().slice(0, 10);

async function seed(db: Database, options: Options): Promise<number> {
  const started = performance.now();
  const indexes = Array.from({ length: options.usagePoints }, (_, index) => index);
  for (let first = 0; first < options.usagePoints; first += USAGE_POINTS_PER_STATEMENT) {
    const chunk = indexes.slice(first, first + USAGE_POINTS_PER_STATEMENT);
    await db.query(
      `INSERT INTO mdm.usage_point (mrid, name, commodity, rate_class, time_zone, connection_state)
       SELECT u, 'UP-' || n, 'electric', 'RES', $2, 'connected' FROM unnest($1::uuid[], $3::int[]) AS x(u, n)`,
      [chunk.map((index) => id('8000', index)), ZONE, chunk],
    );
    const metered = chunk.filter((index) => index % 20 === 0);
    await db.query(
      `INSERT INTO mdm.meter (mrid, serial_number, commodity, multipliers) SELECT m, 'MTR-' || n, 'electric', '[{"kind":"ctRatio","value":"40"}]'::jsonb
         FROM unnest($1::uuid[], $2::int[]) AS x(m, n)`,
      [metered.map((index) => id('9000', index)), metered],
    );
    await db.query(
      `INSERT INTO mdm.meter_assignment (meter_mrid, usage_point_mrid, valid_from) SELECT m, u, '2020-01-01T00:00:00Z' FROM unnest($1::uuid[], $2::uuid[]) AS x(m, u)`,
      [metered.map((index) => id('9000', index)), metered.map((index) => id('8000', index))],
    );
  }
  // One statement per day and chunk; the vectors are built per row (the subqueries refer to the
  // row, so PostgreSQL cannot compute them once for all rows).
  for (let day = 0; day < options.history + options.days; day++) {
    for (let first = 0; first < options.usagePoints; first += USAGE_POINTS_PER_STATEMENT) {
      const chunk = indexes.slice(first, first + USAGE_POINTS_PER_STATEMENT);
      await db.query(
        `INSERT INTO mdm.interval_day (usage_point_mrid, reading_type, local_date, version, day_start, interval_seconds, interval_count,
                                       interval_values, qualities, is_current, created_by, change_kind)
         SELECT x.u, $2, $3::date, 1, $4::timestamptz, 900, ${PER_DAY},
                (SELECT array_agg(CASE WHEN x.n % 50 = 0 AND i = 17 THEN NULL ELSE round((random() * 2)::numeric, 3) END ORDER BY i)
                   FROM generate_series(0, ${PER_DAY - 1}) AS i),
                (SELECT array_agg(CASE WHEN x.n % 50 = 0 AND i = 17 THEN '2.5.259' WHEN x.n % 50 = 0 AND i IN (18, 19) THEN '3.8.1' ELSE '3.0.1' END ORDER BY i)
                   FROM generate_series(0, ${PER_DAY - 1}) AS i),
                true, 'bench', 'import'
           FROM unnest($1::uuid[], $5::int[]) AS x(u, n)`,
        [chunk.map((index) => id('8000', index)), READING_TYPE, localDate(day), new Date(FIRST_DAY_START + day * DAY_MILLIS).toISOString(), chunk],
      );
    }
  }
  await db.exec('ANALYZE mdm.interval_day; ANALYZE mdm.usage_point; ANALYZE mdm.meter_assignment; ANALYZE mdm.meter');
  return (performance.now() - started) / 1000;
}

interface RunResult {
  seconds: number;
  /** CPU time of this process (user + system): what the export costs here, whatever else loads the machine. */
  cpuSeconds: number;
  bytes: number;
}

async function exportOnce(db: Database, input: CmepExportInput, batchDays: number, file: string): Promise<RunResult> {
  const request = parseCmepExportInput(input);
  if ('problem' in request) throw new Error(`bench: ${request.parameter}: ${request.problem}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const opened = await openCmepExport(db, request, { batchDays });
  if ('problem' in opened) throw new Error(`bench: ${opened.parameter}: ${opened.problem}`);
  const out = createWriteStream(file);
  for await (const chunk of cmepChunks(opened)) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, bytes: (await stat(file)).size };
}

export async function runCmepExportBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { 'usage-points': { type: 'string' }, days: { type: 'string' }, history: { type: 'string' }, 'batch-days': { type: 'string' }, runs: { type: 'string' } },
  });
  const options: Options = {
    usagePoints: positiveOption(values['usage-points'], 10_000, 'usage-points'),
    days: positiveOption(values.days, 3, 'days'),
    history: values.history === '0' ? 0 : positiveOption(values.history, 0, 'history'),
    batchDays: positiveOption(values['batch-days'], 1_000, 'batch-days'),
    runs: positiveOption(values.runs, 3, 'runs'),
  };
  const stored = options.usagePoints * options.days * PER_DAY;
  console.log(
    `cmep-export: ${options.usagePoints.toLocaleString('en-US')} usage points × ${options.days} day(s) × ${PER_DAY} values (${ZONE}) = ` +
      `${stored.toLocaleString('en-US')} stored readings, after ${options.history} day(s) of history; batches of ${options.batchDays} days; ${options.runs} runs each`,
  );
  await withFreshPostgres(async (db) => {
    const seedSeconds = await seed(db, options);
    console.log(`seeded ${(options.usagePoints * (options.days + options.history)).toLocaleString('en-US')} day rows in ${seedSeconds.toFixed(1)} s (not part of the figures)`);
    const folder = await mkdtemp(join(tmpdir(), 'busbar-bench-cmep-export-'));
    console.log(`RSS before exporting ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MiB`);
    const rss = trackPeakRss();
    try {
      const days = { from: localDate(options.history), to: localDate(options.history + options.days), units: 'KWH' };
      const variants: Array<[string, CmepExportInput]> = [
        ['15 min, multiplied', days],
        ['15 min, raw', { ...days, values: 'raw' }],
        ['60 min roll-up', { ...days, interval: '60' }],
      ];
      for (const [label, input] of variants) {
        const seconds: number[] = [];
        let last: RunResult | undefined;
        for (let run = 0; run < options.runs; run++) {
          last = await exportOnce(db, input, options.batchDays, join(folder, 'export.cmep'));
          seconds.push(last.seconds);
        }
        if (last === undefined) throw new Error('bench: no run');
        const median = percentile([...seconds], 50);
        console.log(
          `${label.padEnd(20)} median ${median.toFixed(2)} s of ${seconds.map((value) => value.toFixed(2)).join(' / ')}: ` +
            `${formatRate(stored, median)} readings/s (Node CPU ${last.cpuSeconds.toFixed(2)} s in the last run), file ${(last.bytes / 2 ** 20).toFixed(1)} MiB`,
        );
      }
    } finally {
      console.log(`peak RSS while exporting ${rss.stop().toFixed(0)} MiB`);
      await rm(folder, { recursive: true, force: true });
    }
  });
}
