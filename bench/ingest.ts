/**
 * `npm run bench -- ingest [--meters N] [--database postgres|pglite] [--transport memory|amqp]`
 *
 * Meter data end to end, as a utility runs it: one local day of 15-minute kWh for N meters as a
 * CMEP file (two 48-interval MEPMD01 rows per meter, UTC stamps, the day of a usage point in
 * America/Chicago), imported through the hub's own path: the configured CMEP source's importer
 * publishes interval blocks on the bus, the MDM ingest consumer claims them in the inbox in
 * batches, stores the day vectors in PostgreSQL (or PGlite) and runs VEE on every day it wrote,
 * and the outbox relay publishes what VEE raised. The clock runs from the first byte read until
 * every block is stored and the outbox is empty.
 *
 * One meter in a hundred has a half-hour gap (two missing quarter-hours), which VEE flags and
 * estimation fills by linear interpolation in the same transaction: the stored VEE configuration
 * is the default one with estimation at once (minAgeHours 0), so the figure includes that work.
 *
 * Prints readings/s end to end, the parse-only MB/s of the same file, peak RSS, and what the
 * store holds afterwards (checked against N: the figure only counts if every reading arrived).
 * The file and the master data (N usage points, meters, CMEP names, assignments) are set up
 * before the clock starts; the file is kept in the temp folder per N.
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a fresh
 * database. RabbitMQ: AMQP_URL (default amqp://guest:guest@127.0.0.1:5672), on an exchange and
 * queues of this run, deleted after. PGlite: on disk in a temp folder, as the hub runs it.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { createBytesParser } from '../adapters/cmep/codec.js';
import { parseProfile } from '../adapters/cmep/spec.js';
import { saveVeeConfig } from '../mdm/vee/config-store.js';
import { DEFAULT_VEE_CONFIG } from '../mdm/vee/default-config.js';
import { emptyDigest, readLineBatches } from '../adapters/cmep/transport.js';
import type { Bus, EventHandler } from '../hub/bus/bus.js';
import { groupQueues } from '../hub/bus/amqp-topology.js';
import { createBus } from '../hub/bus/create.js';
import { MemoryBus } from '../hub/bus/memory.js';
import { configSchema } from '../hub/config/schema.js';
import type { Database } from '../hub/db/database.js';
import { migrate } from '../hub/db/migrate.js';
import { openPglite } from '../hub/db/pglite.js';
import { importFile } from '../hub/ingest/import-files.js';
import { OutboxRelay } from '../hub/outbox/relay.js';
import { CORE_CONSUMERS, subscribeCoreConsumers } from '../hub/runtime/cores.js';
import { MDM_INGEST_CONSUMER } from '../mdm/ingest.js';
import { positiveOption, withFreshPostgres } from './databases.js';
import { formatRate, trackPeakRss } from './measure.js';

const ZONE = 'America/Chicago';
/**
 * Yesterday in Chicago: recent data, as a daily AMI export is (an old day would rightly fail the
 * stale-meter rule for every meter). A DST change day has 92 or 100 intervals: use the day before.
 */
function benchDay(): { startMs: number; date: string } {
  let day = DateTime.now().setZone(ZONE).startOf('day').minus({ days: 1 });
  if (day.plus({ days: 1 }).diff(day, 'hours').hours !== 24) day = day.minus({ days: 1 });
  return { startMs: day.toMillis(), date: day.toISODate() ?? '' };
}
const DAY = benchDay();
const DAY_START_MS = DAY.startMs;
const SOURCE = 'bench';
const NAME_TYPE = `cmep:${SOURCE}/meterId`;
const READINGS_PER_METER = 96;
/** The default VEE rules and estimation, with gaps estimated as soon as they are found. */
const ESTIMATE_AT_ONCE = {
  ruleSets: DEFAULT_VEE_CONFIG.ruleSets.map((set) => ({ ...set, estimation: set.estimation?.map((policy) => ({ ...policy, minAgeHours: 0 })) })),
};
const MASTER_DATA_CHUNK = 50_000;

interface Options {
  meters: number;
  database: 'postgres' | 'pglite';
  transport: 'memory' | 'amqp';
}

const meterName = (meter: number): string => `M${String(meter).padStart(8, '0')}`;
const hexId = (prefix: string, index: number): string => `0190a0e1-0000-7000-${prefix}-${index.toString(16).padStart(12, '0')}`;

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/** Every hundredth meter misses 00:30–01:00 (`N`, no value): VEE flags it, estimation fills it. */
const hasGap = (meter: number, index: number): boolean => meter % 100 === 7 && (index === 2 || index === 3);

/** Two rows per meter, stamps at interval end, only every 12th written (as head-ends do). */
async function generate(path: string, meters: number): Promise<void> {
  const out = createWriteStream(path);
  for (let meter = 0; meter < meters; meter++) {
    for (const half of [0, 1]) {
      const firstEnd = DAY_START_MS + (half * 48 + 1) * 900_000;
      const parts = ['MEPMD01', '19970819', 'BENCH-AMI', `ACCT${meter}`, 'UTILITY', '', stamp(DAY_START_MS + 86_400_000), meterName(meter), 'OK', 'E', 'KWH', '1.0', '00000015', '48'];
      for (let index = 0; index < 48; index++) {
        const value = (((meter * 7 + (half * 48 + index) * 13) % 997) / 100).toFixed(2);
        const gap = half === 0 && hasGap(meter, index);
        parts.push(index % 12 === 0 ? stamp(firstEnd + index * 900_000) : '', gap ? 'N' : '', gap ? '' : value);
      }
      if (!out.write(`${parts.join(',')}\r\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function cmepFile(meters: number): Promise<string> {
  const path = join(tmpdir(), `busbar-ingest-${meters}-${DAY.date}-gaps.cmep`);
  const existing = await stat(path).catch(() => undefined);
  if (existing === undefined) {
    const partial = `${path}.${process.pid}.partial`;
    await generate(partial, meters);
    await rename(partial, path);
  }
  return path;
}

/** N usage points in Chicago, each with one meter named as the CMEP source names it. */
async function createMasterData(db: Database, meters: number): Promise<void> {
  for (let first = 0; first < meters; first += MASTER_DATA_CHUNK) {
    const indexes = Array.from({ length: Math.min(MASTER_DATA_CHUNK, meters - first) }, (_, offset) => first + offset);
    const ups = indexes.map((index) => hexId('8000', index));
    const meterIds = indexes.map((index) => hexId('9000', index));
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO mdm.usage_point (mrid, commodity, rate_class, time_zone, connection_state) SELECT id, 'electric', 'RES', $2, 'connected' FROM unnest($1::uuid[]) AS u(id)`, [ups, ZONE]);
      await tx.query(`INSERT INTO mdm.meter (mrid, serial_number, commodity) SELECT id, id::text, 'electric' FROM unnest($1::uuid[]) AS m(id)`, [meterIds]);
      await tx.query(`INSERT INTO mdm.external_name (object_kind, name_type, name, mrid) SELECT 'meter', $3, n, id FROM unnest($1::uuid[], $2::text[]) AS m(id, n)`, [
        meterIds,
        indexes.map(meterName),
        NAME_TYPE,
      ]);
      await tx.query(`INSERT INTO mdm.meter_assignment (meter_mrid, usage_point_mrid, valid_from) SELECT m, u, '2020-01-01T00:00:00Z' FROM unnest($1::uuid[], $2::uuid[]) AS a(m, u)`, [meterIds, ups]);
    });
  }
}

/** The file through the CMEP reader and codec alone, no bus and no database. */
async function parseOnly(path: string): Promise<{ megabytesPerSecond: number; rows: number }> {
  const size = (await stat(path)).size;
  // The import's own path: chunked reads with the file hash, lines parsed in place as bytes.
  const parse = createBytesParser(parseProfile({ source: SOURCE }));
  const started = performance.now();
  let rows = 0;
  for await (const batch of readLineBatches(path, emptyDigest())) {
    for (let index = 0; index < batch.count; index++) {
      if (parse(batch.bytes, batch.starts[index] ?? 0, batch.ends[index] ?? 0, batch.lineOf(index))?.type === 'MEPMD01') rows++;
    }
  }
  return { megabytesPerSecond: size / 1e6 / ((performance.now() - started) / 1000), rows };
}

/** Counts the deliveries the MDM ingest group acknowledged, whatever the transport. */
function countingBus(bus: Bus, acked: { count: number }): Bus {
  return new Proxy(bus, {
    get(target, property, receiver) {
      if (property !== 'subscribe') return Reflect.get(target, property, receiver) as unknown;
      return (group: string, patterns: readonly string[], handler: EventHandler, options?: Parameters<Bus['subscribe']>[3]) =>
        target.subscribe(group, patterns, async (event, delivery) => {
          await handler(event, delivery);
          if (group.endsWith(MDM_INGEST_CONSUMER)) acked.count++;
        }, options);
    },
  });
}

async function openBenchBus(transport: Options['transport'], log: pino.Logger): Promise<{ bus: Bus; cleanUp(): Promise<void> }> {
  if (transport === 'memory') {
    const bus = await createBus({ transport: 'memory' }, log);
    return { bus, cleanUp: async () => undefined };
  }
  const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const run = randomBytes(4).toString('hex');
  const exchange = `busbar.bench.${run}`;
  const queuePrefix = `busbar-bench-${run}`;
  const bus = await createBus({ transport: 'amqp', url, exchange, queuePrefix }, log);
  return {
    bus,
    async cleanUp() {
      const connection = await amqplib.connect(url);
      const channel = await connection.createChannel();
      for (const consumer of CORE_CONSUMERS) {
        const { queue, retry, dlq } = groupQueues(queuePrefix, consumer.group);
        for (const name of [queue, retry, dlq]) await channel.deleteQueue(name);
      }
      await channel.deleteExchange(exchange);
      await connection.close();
    },
  };
}

async function waitFor(condition: () => boolean, everyMs = 20): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, everyMs));
}

async function endToEnd(db: Database, path: string, options: Options): Promise<void> {
  const log = pino({ level: 'warn' });
  const { bus: rawBus, cleanUp } = await openBenchBus(options.transport, log);
  const acked = { count: 0 };
  const bus = countingBus(rawBus, acked);
  const relay = new OutboxRelay(db, bus, log, { pollIntervalMs: 200 });
  relay.start();
  const subscriptions = await subscribeCoreConsumers({ bus, db, relay, log }, { concurrency: 16, parallelBatches: db.kind === 'postgres' ? 2 : 1 });
  const config = configSchema.parse({ sources: { [SOURCE]: { adapter: 'cmep' } } });
  try {
    const rss = trackPeakRss();
    const started = performance.now();
    const outcome = await importFile({ config, bus, db, log, relay }, SOURCE, path);
    if (outcome.status !== 'imported') throw new Error(`import ${outcome.status}`);
    const published = performance.now();
    await waitFor(() => acked.count >= outcome.summary.blocks);
    if (rawBus instanceof MemoryBus) await rawBus.whenIdle();
    while ((await relay.flush()) > 0);
    const seconds = (performance.now() - started) / 1000;
    const peak = rss.stop();

    const stored = await db.query<{ days: string; readings: string; validated: string }>(
      `SELECT count(*) AS days, sum(interval_count) AS readings,
              sum((SELECT count(*) FROM unnest(qualities) AS q WHERE q IS NOT NULL)) AS validated
         FROM mdm.interval_day WHERE is_current`,
    );
    const exceptions = await db.query<{ n: string }>('SELECT count(*) AS n FROM mdm.vee_exception');
    const estimated = await db.query<{ n: string }>("SELECT count(*) AS n FROM mdm.interval_day WHERE is_current AND change_kind = 'estimate'");
    const row = stored.rows[0];
    const readings = Number(row?.readings ?? 0);
    const { summary } = outcome;
    console.log(`import: ${summary.records.toLocaleString('en-US')} rows, ${summary.blocks.toLocaleString('en-US')} blocks, ${summary.readings.toLocaleString('en-US')} readings, ${summary.quarantined} quarantined; published in ${((published - started) / 1000).toFixed(1)} s`);
    console.log(`store: ${Number(row?.days ?? 0).toLocaleString('en-US')} current day rows, ${readings.toLocaleString('en-US')} readings, ${Number(row?.validated ?? 0).toLocaleString('en-US')} with VEE quality codes; ${exceptions.rows[0]?.n ?? 0} VEE exceptions; ${estimated.rows[0]?.n ?? 0} days estimated`);
    const expected = options.meters * READINGS_PER_METER;
    if (readings !== expected) throw new Error(`the store holds ${readings} readings, expected ${expected}: the figure does not count`);
    console.log(
      `end to end (${options.transport} bus, ${db.kind}, VEE on): ${formatRate(readings, seconds)} readings/s (${readings.toLocaleString('en-US')} readings in ${seconds.toFixed(1)} s), peak RSS ${peak.toFixed(0)} MiB`,
    );
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await relay.stop();
    await rawBus.close();
    await cleanUp();
  }
}

async function withBenchPglite(work: (db: Database) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'busbar-bench-pglite-'));
  console.log(`pglite: ${dataDir} (created for this run, removed after)`);
  const silent = pino({ level: 'silent' });
  const db = await openPglite({ dataDir }, silent);
  try {
    await migrate(db, silent);
    await work(db);
  } finally {
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function runIngestBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { meters: { type: 'string' }, database: { type: 'string', default: 'postgres' }, transport: { type: 'string', default: 'memory' } },
  });
  if (values.database !== 'postgres' && values.database !== 'pglite') throw new Error(`--database: expected postgres or pglite, got ${values.database}`);
  if (values.transport !== 'memory' && values.transport !== 'amqp') throw new Error(`--transport: expected memory or amqp, got ${values.transport}`);
  const options: Options = { meters: positiveOption(values.meters, 10_000, 'meters'), database: values.database, transport: values.transport };

  const path = await cmepFile(options.meters);
  const size = (await stat(path)).size;
  console.log(`file: ${path}, ${(size / 1e6).toFixed(1)} MB, ${options.meters.toLocaleString('en-US')} meters × ${READINGS_PER_METER} readings`);
  const parsed = await parseOnly(path);
  console.log(`parse only: ${parsed.megabytesPerSecond.toFixed(1)} MB/s (${parsed.rows.toLocaleString('en-US')} rows)`);

  const run = async (db: Database): Promise<void> => {
    const started = performance.now();
    await createMasterData(db, options.meters);
    await saveVeeConfig(db, ESTIMATE_AT_ONCE, 'bench');
    console.log(`master data: ${options.meters.toLocaleString('en-US')} usage points and meters in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed)`);
    await endToEnd(db, path, options);
  };
  if (options.database === 'postgres') await withFreshPostgres(run);
  else await withBenchPglite(run);
}
