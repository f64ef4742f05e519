/**
 * `npm run bench -- mdm-ingest [--meters N] [--batch B] [--driver postgres|pglite|both]`
 *
 * Measures the meter data core's ingest consumer (mdm/ingest.ts): N meters × one local day of 96
 * quarter-hour values as `interval_block.received` events (built with newEvent, each naming its
 * meter by a source name, as an adapter would), ingested B events per transaction (the bus's
 * batch size, default 100): validation, one batch meter resolution, cut at assignments, local-day
 * slices, one store write and the per-event audit labels. Then the same events again (a replayed
 * file: every day unchanged). Prints readings/s and peak RSS. Building the events is not timed.
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a fresh
 * database created and dropped here.
 */
import { parseArgs } from 'node:util';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import { ReadingTypeCodes } from '../canonical/reading-type.js';
import type { Database } from '../hub/db/database.js';
import { ingestIntervalBlocks } from '../mdm/ingest.js';
import { positiveOption, withFreshPostgres, withPglite } from './databases.js';
import { formatRate, trackPeakRss } from './measure.js';

const ZONE = 'America/Chicago';
const DAY_START = '2026-01-05T06:00:00Z'; // local midnight in Chicago (CST)
const PER_DAY = 96;
const NAME_TYPE = 'bench:feed/meterId';
const SOURCE = '/adapters/bench/feed';

interface Options {
  meters: number;
  batch: number;
  driver: 'postgres' | 'pglite' | 'both';
}

const usagePointId = (index: number) => `0190a0e1-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;
const meterId = (index: number) => `0190a0e1-0000-7000-9000-${index.toString(16).padStart(12, '0')}`;

/** Usage points, each with one meter known by a source name and assigned since 2020. */
async function createMasterData(db: Database, count: number): Promise<void> {
  const ups = Array.from({ length: count }, (_, index) => usagePointId(index));
  const meters = Array.from({ length: count }, (_, index) => meterId(index));
  await db.query(`INSERT INTO mdm.usage_point (mrid, commodity, time_zone, connection_state) SELECT id, 'electric', $2, 'connected' FROM unnest($1::uuid[]) AS u(id)`, [ups, ZONE]);
  await db.query(`INSERT INTO mdm.meter (mrid, serial_number, commodity) SELECT id, id::text, 'electric' FROM unnest($1::uuid[]) AS m(id)`, [meters]);
  await db.query(
    `INSERT INTO mdm.external_name (object_kind, name_type, name, mrid) SELECT 'meter', $2, 'M-' || (n - 1), id FROM unnest($1::uuid[]) WITH ORDINALITY AS m(id, n)`,
    [meters, NAME_TYPE],
  );
  await db.query(`INSERT INTO mdm.meter_assignment (meter_mrid, usage_point_mrid, valid_from) SELECT m, u, '2020-01-01T00:00:00Z' FROM unnest($1::uuid[], $2::uuid[]) AS a(m, u)`, [meters, ups]);
}

function buildEvents(count: number): CloudEvent[] {
  return Array.from({ length: count }, (_, meter) => {
    const values = Array.from({ length: PER_DAY }, (_, index) => (((meter * 31 + index * 17) % 2_000) / 1_000).toFixed(3));
    return newEvent(EventType.IntervalBlockReceived, {
      meter: { name: `M-${meter}`, nameType: NAME_TYPE },
      readingType: ReadingTypeCodes.IntervalKwhForward15Min,
      start: DAY_START,
      intervalSeconds: 900,
      values,
      qualities: values.map(() => []),
    }, { source: SOURCE });
  });
}

interface Figures {
  readings: number;
  days: number;
  quarantined: number;
  seconds: number;
}

async function ingestAll(db: Database, events: readonly CloudEvent[], batch: number): Promise<Figures> {
  const started = performance.now();
  const figures: Figures = { readings: 0, days: 0, quarantined: 0, seconds: 0 };
  for (let first = 0; first < events.length; first += batch) {
    const outcome = await db.transaction((tx) => ingestIntervalBlocks(tx, events.slice(first, first + batch)));
    const days = outcome.stored.intervalDays;
    figures.readings += outcome.stored.readings;
    figures.days += days.created + days.filled + days.revised + days.unchanged;
    figures.quarantined += outcome.quarantined.length;
  }
  figures.seconds = (performance.now() - started) / 1000;
  return figures;
}

function report(driver: string, what: string, figures: Figures): void {
  console.log(
    `${driver.padEnd(8)} ${what.padEnd(22)} ${figures.readings.toLocaleString('en-US')} readings, ${figures.days.toLocaleString('en-US')} days, ` +
      `${figures.quarantined} quarantined in ${figures.seconds.toFixed(2)} s: ${formatRate(figures.readings, figures.seconds)} readings/s, ` +
      `${formatRate(figures.days, figures.seconds)} events/s`,
  );
}

async function run(driver: string, db: Database, options: Options, events: readonly CloudEvent[]): Promise<void> {
  await createMasterData(db, options.meters);
  const rss = trackPeakRss();
  const first = await ingestAll(db, events, options.batch);
  if (first.quarantined > 0 || first.days !== options.meters) throw new Error(`bench: expected ${options.meters} stored days, got ${first.days} and ${first.quarantined} quarantined`);
  report(driver, 'ingest (new days)', first);
  report(driver, 'replay (unchanged)', await ingestAll(db, events, options.batch));
  console.log(`${driver.padEnd(8)} peak RSS ${rss.stop().toFixed(0)} MiB`);
}





export async function runMdmIngestBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { meters: { type: 'string' }, batch: { type: 'string' }, driver: { type: 'string' } } });
  const driver = values.driver ?? 'both';
  if (driver !== 'postgres' && driver !== 'pglite' && driver !== 'both') throw new Error(`--driver: expected postgres, pglite or both, got ${driver}`);
  const options: Options = { meters: positiveOption(values.meters, 10_000, 'meters'), batch: positiveOption(values.batch, 100, 'batch'), driver };
  console.log(`mdm-ingest: ${options.meters} meters × 1 day × ${PER_DAY} values (${ZONE}) as interval_block.received events, ${options.batch} events per transaction`);
  const events = buildEvents(options.meters);
  if (driver !== 'pglite') await withFreshPostgres((db) => run('postgres', db, options, events));
  if (driver !== 'postgres') await withPglite((db) => run('pglite', db, options, events));
}
