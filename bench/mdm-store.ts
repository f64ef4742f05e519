/**
 * `npm run bench -- mdm-store [--days D] [--usage-points N] [--row-usage-points M] [--driver postgres|pglite|both]`
 *
 * Measures the interval store: D local days × N usage points of 96 quarter-hour values, written
 * through the real path (sliceForUsagePoint + writeIntervalSlices, 1,000 days a statement, one
 * transaction per 1,000 usage points), then written again (an idempotent re-import: read, compare,
 * write nothing), then new days from meter blocks through the consumer's path (batch meter
 * resolution, cut at assignments, slice, write), then a changed resend (every day gets version 2). For "measure and choose", the same data for M usage points also goes into a
 * row-per-interval table (the other design: one row per usage point × reading type × interval
 * end × version, batched `INSERT … ON CONFLICT DO NOTHING`, its best case). Prints rows/s,
 * readings/s, bytes per reading on disk and the peak RSS. PostgreSQL: DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), in a fresh database created and dropped here.
 *
 * Measured 2026-11-23 (2 vCPU Xeon, Node 20.20, PostgreSQL 15 local; defaults 3 days × 10,000):
 *   PostgreSQL vector days: 894k readings/s new, 1.13M/s idempotent re-import, 591k/s through
 *   meter resolution, 299k/s when every day gets version 2; 15.7 bytes per stored reading.
 *   Row per interval (1,000 usage points): 119k readings/s, 281 bytes per stored reading.
 *   PGlite: 556k / 937k / 454k / 282k vs 76k readings/s row per interval. Peak RSS 302 MiB on
 *   PostgreSQL; PGlite's in-memory heap grows to 0.75-1.1 GiB (an embedded default, not the
 *   production target). Hence the vector design: ~7× the write rate and ~18× less disk.
 */
import { parseArgs } from 'node:util';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import type { Database } from '../hub/db/database.js';
import { type IntervalSeries, sliceForUsagePoint, type StoredSlice } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';
import { resolveMetersPeriods } from '../mdm/master-data.js';
import { splitSeriesByAssignments } from '../mdm/meter-assignment.js';
import { positiveOption, withFreshPostgres, withPglite } from './databases.js';
import { formatRate, trackPeakRss } from './measure.js';

const ZONE = 'America/Chicago';
const READING_TYPE = ReadingTypeCodes.IntervalKwhForward15Min;
const PER_DAY = 96;
const USAGE_POINTS_PER_TRANSACTION = 1_000;
const FIRST_DAY_START = Date.parse('2026-01-05T06:00:00Z'); // local midnight in Chicago (CST)

interface Options {
  days: number;
  usagePoints: number;
  rowUsagePoints: number;
  driver: 'postgres' | 'pglite' | 'both';
}

function usagePointId(index: number): string {
  return `0190a0e1-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** A pool of day vectors: generating decimal strings is not what is measured. */
const VECTORS: string[][] = Array.from({ length: 64 }, (_, seed) =>
  Array.from({ length: PER_DAY }, (_, index) => (((seed * 31 + index * 17) % 2_000) / 1_000).toFixed(3)));
const NO_QUALITIES: string[][] = Array.from({ length: PER_DAY }, () => []);

/** `variant` 0 is the original data; another variant changes every day (a corrected resend). */
function daySeries(day: number, usagePoint: number, variant = 0): IntervalSeries {
  return {
    start: new Date(FIRST_DAY_START + day * 86_400_000).toISOString(),
    intervalSeconds: 900,
    values: VECTORS[(day * 7 + usagePoint + variant) % VECTORS.length] ?? [],
    qualities: NO_QUALITIES,
  };
}

function meterId(index: number): string {
  return `0190a0e1-0000-7000-9000-${index.toString(16).padStart(12, '0')}`;
}

const METER_NAME_TYPE = 'bench:feed/meterId';

/** Usage points, each with one meter known by a source name and assigned since 2020. */
async function createMasterData(db: Database, count: number): Promise<void> {
  const ups = Array.from({ length: count }, (_, index) => usagePointId(index));
  const meters = Array.from({ length: count }, (_, index) => meterId(index));
  await db.query(
    `INSERT INTO mdm.usage_point (mrid, commodity, time_zone, connection_state)
     SELECT id, 'electric', $2, 'connected' FROM unnest($1::uuid[]) AS u(id) ON CONFLICT DO NOTHING`,
    [ups, ZONE],
  );
  await db.query(`INSERT INTO mdm.meter (mrid, serial_number, commodity) SELECT id, id::text, 'electric' FROM unnest($1::uuid[]) AS m(id)`, [meters]);
  await db.query(
    `INSERT INTO mdm.external_name (object_kind, name_type, name, mrid)
     SELECT 'meter', $2, 'M-' || (n - 1), id FROM unnest($1::uuid[]) WITH ORDINALITY AS m(id, n)`,
    [meters, METER_NAME_TYPE],
  );
  await db.query(
    `INSERT INTO mdm.meter_assignment (meter_mrid, usage_point_mrid, valid_from)
     SELECT m, u, '2020-01-01T00:00:00Z' FROM unnest($1::uuid[], $2::uuid[]) AS a(m, u)`,
    [meters, ups],
  );
}

/**
 * The path a consumer takes from a meter's block: resolve every meter of the batch in one
 * statement, cut at assignment changes, slice into local days, write. Days after the first run's.
 */
async function writeThroughMeters(db: Database, options: Options): Promise<Figures> {
  const started = performance.now();
  let rows = 0;
  for (let day = options.days; day < options.days * 2; day++) {
    for (let first = 0; first < options.usagePoints; first += USAGE_POINTS_PER_TRANSACTION) {
      const last = Math.min(first + USAGE_POINTS_PER_TRANSACTION, options.usagePoints);
      const blocks = Array.from({ length: last - first }, (_, offset) => ({ meter: `M-${first + offset}`, series: daySeries(day, first + offset) }));
      const summary = await db.transaction(async (tx) => {
        const resolutions = await resolveMetersPeriods(tx, blocks.map((block) => ({
          meter: { name: block.meter, nameType: METER_NAME_TYPE },
          start: block.series.start,
          end: new Date(Date.parse(block.series.start) + block.series.values.length * 900_000).toISOString(),
        })));
        const slices: StoredSlice[] = [];
        blocks.forEach((block, index) => {
          const resolution = resolutions[index];
          if (resolution?.status !== 'resolved') throw new Error(`bench meter ${block.meter} did not resolve`);
          for (const part of splitSeriesByAssignments(block.series, resolution.periods).assigned) {
            slices.push(...sliceForUsagePoint(part.series, { usagePoint: part.usagePoint, readingType: READING_TYPE, timeZone: part.timeZone }));
          }
        });
        return writeIntervalSlices(tx, slices, { by: 'bench', kind: 'import' });
      });
      rows += summary.created;
    }
  }
  return { rows, readings: rows * PER_DAY, seconds: (performance.now() - started) / 1000 };
}

interface Figures {
  rows: number;
  readings: number;
  seconds: number;
}

async function writeVectorDays(db: Database, options: Options, variant = 0): Promise<Figures> {
  const started = performance.now();
  let rows = 0;
  for (let day = 0; day < options.days; day++) {
    for (let first = 0; first < options.usagePoints; first += USAGE_POINTS_PER_TRANSACTION) {
      const slices: StoredSlice[] = [];
      for (let up = first; up < Math.min(first + USAGE_POINTS_PER_TRANSACTION, options.usagePoints); up++) {
        slices.push(...sliceForUsagePoint(daySeries(day, up, variant), { usagePoint: usagePointId(up), readingType: READING_TYPE, timeZone: ZONE }));
      }
      const summary = await db.transaction((tx) => writeIntervalSlices(tx, slices, { by: 'bench', kind: 'import' }));
      rows += summary.created + summary.unchanged + summary.filled + summary.revised;
    }
  }
  return { rows, readings: rows * PER_DAY, seconds: (performance.now() - started) / 1000 };
}

async function writeIntervalRows(db: Database, options: Options): Promise<Figures> {
  await db.exec(`CREATE TABLE IF NOT EXISTS mdm.bench_interval_row (
    usage_point_mrid uuid NOT NULL, reading_type text NOT NULL, interval_end timestamptz NOT NULL, version integer NOT NULL,
    value numeric, quality text, is_current boolean NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), created_by text NOT NULL,
    PRIMARY KEY (usage_point_mrid, reading_type, interval_end, version))`);
  const started = performance.now();
  let rows = 0;
  const perStatement = Math.max(1, Math.floor(10_000 / PER_DAY));
  for (let day = 0; day < options.days; day++) {
    for (let first = 0; first < options.rowUsagePoints; first += perStatement) {
      const ups: string[] = [];
      const ends: string[] = [];
      const values: string[] = [];
      for (let up = first; up < Math.min(first + perStatement, options.rowUsagePoints); up++) {
        const series = daySeries(day, up);
        const start = Date.parse(series.start);
        series.values.forEach((value, index) => {
          ups.push(usagePointId(up));
          ends.push(new Date(start + (index + 1) * 900_000).toISOString());
          values.push(value ?? '');
        });
      }
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO mdm.bench_interval_row (usage_point_mrid, reading_type, interval_end, version, value, quality, is_current, created_by)
           SELECT r.up, $4, r.interval_end, 1, nullif(r.value, '')::numeric, NULL, true, 'bench'
             FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS r(up, interval_end, value)
           ON CONFLICT DO NOTHING`,
          [ups, ends, values, READING_TYPE],
        );
      });
      rows += ups.length;
    }
  }
  return { rows, readings: rows, seconds: (performance.now() - started) / 1000 };
}

/** Table size with indexes (and dead row versions not yet vacuumed) per reading it holds. */
async function bytesPerStoredReading(db: Database, table: 'mdm.interval_day' | 'mdm.bench_interval_row'): Promise<number> {
  const readings = table === 'mdm.interval_day' ? 'coalesce(sum(interval_count), 0)' : 'count(*)';
  const result = await db.query<{ bytes: string; readings: string }>(
    `SELECT pg_total_relation_size('${table}')::text AS bytes, ${readings}::text AS readings FROM ${table}`,
  );
  const row = result.rows[0];
  return row === undefined ? Number.NaN : Number(row.bytes) / Number(row.readings);
}

function report(driver: string, design: string, figures: Figures, bytesPerReading?: number): void {
  const perReading = bytesPerReading === undefined ? '' : `, ${bytesPerReading.toFixed(1)} bytes/stored reading (table + indexes)`;
  console.log(
    `${driver.padEnd(8)} ${design.padEnd(28)} ${figures.rows.toLocaleString('en-US')} rows, ${figures.readings.toLocaleString('en-US')} readings in ${figures.seconds.toFixed(2)} s: ` +
      `${formatRate(figures.rows, figures.seconds)} rows/s, ${formatRate(figures.readings, figures.seconds)} readings/s${perReading}`,
  );
}

async function runDesigns(driver: string, db: Database, options: Options): Promise<void> {
  await createMasterData(db, Math.max(options.usagePoints, options.rowUsagePoints));
  const rss = trackPeakRss();
  report(driver, 'vector day rows (chosen)', await writeVectorDays(db, options), await bytesPerStoredReading(db, 'mdm.interval_day'));
  report(driver, 'vector re-import (no-op)', await writeVectorDays(db, options));
  report(driver, 'vector via meter resolution', await writeThroughMeters(db, options));
  report(driver, 'vector resend (version 2)', await writeVectorDays(db, options, 1), await bytesPerStoredReading(db, 'mdm.interval_day'));
  const vectorSubset = { ...options, usagePoints: options.rowUsagePoints };
  await db.exec('TRUNCATE mdm.interval_day');
  report(driver, `vector day rows, ${options.rowUsagePoints} UPs`, await writeVectorDays(db, vectorSubset), await bytesPerStoredReading(db, 'mdm.interval_day'));
  report(driver, `row per interval, ${options.rowUsagePoints} UPs`, await writeIntervalRows(db, options), await bytesPerStoredReading(db, 'mdm.bench_interval_row'));
  console.log(`${driver.padEnd(8)} peak RSS ${rss.stop().toFixed(0)} MiB`);
}





export async function runMdmStoreBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      days: { type: 'string' },
      'usage-points': { type: 'string' },
      'row-usage-points': { type: 'string' },
      driver: { type: 'string' },
    },
  });
  const driver = values.driver ?? 'both';
  if (driver !== 'postgres' && driver !== 'pglite' && driver !== 'both') throw new Error(`--driver: expected postgres, pglite or both, got ${driver}`);
  const options: Options = {
    days: positiveOption(values.days, 3, 'days'),
    usagePoints: positiveOption(values['usage-points'], 10_000, 'usage-points'),
    rowUsagePoints: positiveOption(values['row-usage-points'], 1_000, 'row-usage-points'),
    driver,
  };
  console.log(`mdm-store: ${options.days} days × ${options.usagePoints} usage points × ${PER_DAY} values (${ZONE}); row-per-interval comparison on ${options.rowUsagePoints}`);
  if (driver !== 'pglite') await withFreshPostgres((db) => runDesigns('postgres', db, options));
  if (driver !== 'postgres') await withPglite((db) => runDesigns('pglite', db, options));
}
