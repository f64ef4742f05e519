/**
 * `npm run bench -- multispeak [--meters N] [--seconds S] [--concurrency C] [--warmup W]
 *   [--database postgres|pglite] [--operation latest|day|both] [--cpu-profile FILE]`
 *
 * The hub's MultiSpeak server under load. N meters (default 100,000; serial numbers M0000000 …,
 * which 3.0 callers send as meterNo) each on its usage point (America/Chicago), with one kWh
 * register read at the end of 2024-05-01 and that day's 96 quarter-hour kWh values, seeded with
 * INSERT … SELECT over generate_series (not timed). The hub's HTTP server with its MultiSpeak
 * endpoints runs in this process on 127.0.0.1 (the PostgreSQL pool of 10 the hub opens by
 * default); a load generator in a second process (bench/multispeak-load.ts) keeps C requests
 * in flight over C keep-alive connections for random meters: 3.0 GetLatestReadingByMeterNo,
 * then GetReadingsByMeterNo for the day, each W s of warm-up (default 3) then S s measured
 * (default 20). Printed per operation: requests, errors (non-200 or a Fault), requests/s, latency
 * p50/p90/p99/max, answer size, the hub process's CPU over the measured window and its peak RSS,
 * and apart the CPU of the load generator and (with a local server) of the PostgreSQL backends,
 * which show how the cores were shared. `--cpu-profile FILE` samples the hub process over each
 * measured window, writes FILE-<operation>.cpuprofile and prints where its time went.
 *
 * 32 in flight is the default: there GetLatestReadingByMeterNo is near its best rate with p99
 * still under 25 ms on 2 cores (10 s runs: 8 in flight 2.5k/s p99 8 ms, 16 3.5k/s 12 ms, 32
 * 4.0k/s 18 ms, 64 4.8k/s 31 ms, 128 5.1k/s 63 ms).
 *
 * Measured 2026-12-05 (2 vCPU EPYC, load average 1.5 before; Node 20.20, PostgreSQL 15 local),
 * defaults, three runs: GetLatestReadingByMeterNo 3,756-4,035 req/s, p50 7.4-7.8 ms, p99
 * 18-21 ms, 570-byte answers, the hub 180 µs of CPU a request (70% of a core), the load
 * generator 0.3-0.4 of a core, PostgreSQL 0.4: the two cores are shared three ways and the hub
 * idles a quarter of the time. Of the hub's busy time a third is the socket writes (writev, the
 * kernel's loopback TCP), 15% parsing the request XML (saxes and adapters/multispeak/xml), 6% GC,
 * 4% writing the answer, 3.5% fastify, 2% the pg client. GetReadingsByMeterNo for a day (a
 * register read and 96 interval values as 97 meterReads, 29 KB): 370-470 req/s, p99 125-166 ms,
 * the hub busy (2-2.4 ms of CPU a request): 30% writing the meterReads
 * (adapters/multispeak/v3), a quarter the socket writes, 10% GC; PostgreSQL 0.5 of a core.
 *
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a fresh
 * database created and dropped here.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { multiSpeakConfigSchema } from '../adapters/multispeak/spec.js';
import { MULTISPEAK_30 } from '../adapters/multispeak/xml/index.js';
import { ReadingTypeCodes } from '../canonical/index.js';
import { createBus } from '../hub/bus/create.js';
import type { Database } from '../hub/db/database.js';
import { buildHttpServer } from '../hub/http/server.js';
import { createLogger } from '../hub/log.js';
import { createMultiSpeakServer } from '../hub/multispeak/server.js';
import { createMetrics } from '../hub/runtime/metrics.js';
import { formatShares, startCpuProfile, type CpuProfileSummary } from './cpu-profile.js';
import { positiveOption, withFreshPostgres, withPglite } from './databases.js';
import { backendCpuBetween, postgresBackendCpu } from './postgres-cpu.js';
import { trackPeakRss } from './measure.js';
import { LoadMessageSchema, meterNoOf, type LoadOrder, type LoadReport } from './multispeak-load.js';

const DAY_START = '2024-05-01T05:00:00Z'; // local midnight in Chicago (CDT)
const DAY_END = '2024-05-02T05:00:00Z';
const METER_PREFIX = 'M';
const METER_WIDTH = 7;
const PASSWORD = 'bench-password-0123456789';
const ROWS_PER_STATEMENT = 20_000;
/** The hub's own pool size (hub/db/postgres.ts): the bench serves with what a hub would have. */
const HUB_POOL_SIZE = 10;

async function seed(db: Database, meters: number): Promise<number> {
  const started = performance.now();
  const serial = `'${METER_PREFIX}' || lpad(n::text, ${METER_WIDTH}, '0')`;
  for (let first = 0; first < meters; first += ROWS_PER_STATEMENT) {
    const params = [first, Math.min(meters, first + ROWS_PER_STATEMENT) - 1];
    await db.query(
      `INSERT INTO mdm.usage_point (mrid, commodity, time_zone, connection_state)
       SELECT md5('up' || n)::uuid, 'electric', 'America/Chicago', 'connected' FROM generate_series($1::int, $2::int) n`,
      params,
    );
    await db.query(`INSERT INTO mdm.meter (mrid, serial_number, commodity) SELECT md5('m' || n)::uuid, ${serial}, 'electric' FROM generate_series($1::int, $2::int) n`, params);
    await db.query(
      `INSERT INTO mdm.meter_assignment (meter_mrid, usage_point_mrid, valid_from)
       SELECT md5('m' || n)::uuid, md5('up' || n)::uuid, '2024-01-01T00:00:00Z' FROM generate_series($1::int, $2::int) n`,
      params,
    );
    await db.query(
      `INSERT INTO mdm.register_read (usage_point_mrid, meter_mrid, reading_type, read_at, version, value, is_current, created_by, change_kind)
       SELECT md5('up' || n)::uuid, md5('m' || n)::uuid, $3, $4::timestamptz, 1, (10000 + n % 5000)::numeric, true, 'bench', 'import'
         FROM generate_series($1::int, $2::int) n`,
      [...params, ReadingTypeCodes.RegisterKwhForward, DAY_END],
    );
    // Values differ by interval and meter, as real ones do, so answers have a realistic size.
    await db.query(
      `INSERT INTO mdm.interval_day (usage_point_mrid, reading_type, local_date, version, day_start, interval_seconds, interval_count,
                                     interval_values, qualities, is_current, created_by, change_kind)
       SELECT md5('up' || n)::uuid, $3, '2024-05-01', 1, $4::timestamptz, 900, 96,
              (SELECT array_agg(round(0.05 + ((n * 7 + i * 13) % 400) / 1000.0, 3) ORDER BY i) FROM generate_series(0, 95) AS i),
              array_fill('3.0.1'::text, ARRAY[96]), true, 'bench', 'import'
         FROM generate_series($1::int, $2::int) n`,
      [...params, ReadingTypeCodes.IntervalKwhForward15Min, DAY_START],
    );
  }
  await db.exec('ANALYZE mdm.usage_point; ANALYZE mdm.meter; ANALYZE mdm.meter_assignment; ANALYZE mdm.register_read; ANALYZE mdm.interval_day; ANALYZE mdm.external_name');
  return (performance.now() - started) / 1000;
}

function envelope(body: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
    `<MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" Version="3.0" UserID="bench" Pwd="${PASSWORD}" AppName="LoadGen" Company="BenchCoop"/></soap:Header>` +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

interface Measured {
  readonly report: LoadReport;
  /** The hub process's CPU seconds (user + system) between the window's opening and the report. */
  readonly hubCpuSeconds: number;
  /** The PostgreSQL backends' CPU seconds over the same window, when the server is on this machine. */
  readonly postgresCpuSeconds?: number;
  readonly profile?: CpuProfileSummary;
}

/** What runs in this process while the window is open. */
interface WindowProbes {
  readonly db: Database;
  readonly profileFile?: string;
}

/** Starts the probes when the window opens; `close()` reads them. */
async function openWindow(probes: WindowProbes): Promise<{ close(report: LoadReport): Promise<Measured> }> {
  const cpu = process.cpuUsage();
  const profiler = probes.profileFile === undefined ? undefined : await startCpuProfile();
  const postgresBefore = await postgresBackendCpu(probes.db);
  return {
    async close(report) {
      const used = process.cpuUsage(cpu);
      const postgresAfter = postgresBefore === undefined ? undefined : await postgresBackendCpu(probes.db);
      const profile = profiler === undefined || probes.profileFile === undefined ? undefined : await profiler.stop(probes.profileFile);
      return {
        report,
        hubCpuSeconds: (used.user + used.system) / 1e6,
        ...(postgresBefore === undefined || postgresAfter === undefined ? {} : { postgresCpuSeconds: backendCpuBetween(postgresBefore, postgresAfter) }),
        ...(profile === undefined ? {} : { profile }),
      };
    },
  };
}

/** Runs the load generator in a child process; the probes cover its measured window. */
function measureLoad(order: LoadOrder, probes: WindowProbes): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./multispeak-load.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
    let window: ReturnType<typeof openWindow> | undefined;
    child.on('message', (raw: unknown) => {
      const message = LoadMessageSchema.parse(raw);
      if (message.kind === 'measuring') {
        window = openWindow(probes);
        return;
      }
      if (window === undefined) {
        reject(new Error('the load generator reported before its measured window opened'));
        return;
      }
      window.then((open) => open.close(message)).then(resolve, reject);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with code ${code}`));
    });
    child.send(order);
  });
}

const OPERATIONS = [
  { key: 'latest', name: 'GetLatestReadingByMeterNo', body: `<GetLatestReadingByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>{{meterNo}}</meterNo></GetLatestReadingByMeterNo>` },
  {
    key: 'day',
    name: 'GetReadingsByMeterNo',
    label: 'GetReadingsByMeterNo (one day: a register read, 96 intervals)',
    body: `<GetReadingsByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>{{meterNo}}</meterNo><startDate>${DAY_START}</startDate><endDate>${DAY_END}</endDate></GetReadingsByMeterNo>`,
  },
] as const;

function describe(label: string, measured: Measured): string {
  const { report, hubCpuSeconds } = measured;
  const ms = (value: number) => value.toFixed(1);
  const perRequest = report.requests === 0 ? Number.NaN : (hubCpuSeconds * 1e6) / report.requests;
  return (
    `${label}\n` +
    `  ${report.requests.toLocaleString('en-US')} requests in ${report.seconds} s, ${report.errors} errors${report.firstError === undefined ? '' : ` (first: ${report.firstError})`}: ` +
    `${Math.round(report.requests / report.seconds).toLocaleString('en-US')} req/s\n` +
    `  latency p50 ${ms(report.p50)} ms, p90 ${ms(report.p90)} ms, p99 ${ms(report.p99)} ms, max ${ms(report.max)} ms; answer ${Math.round(report.bytes / Math.max(1, report.requests)).toLocaleString('en-US')} bytes\n` +
    `  hub CPU ${hubCpuSeconds.toFixed(1)} s in ${report.seconds} s (${Math.round((hubCpuSeconds / report.seconds) * 100)}% of a core, ${Math.round(perRequest)} µs a request); ` +
    `load generator CPU ${report.cpuSeconds.toFixed(1)} s` +
    (measured.postgresCpuSeconds === undefined ? '' : `; PostgreSQL backends CPU ${measured.postgresCpuSeconds.toFixed(1)} s`)
  );
}

export async function runMultiSpeakBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      meters: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      database: { type: 'string', default: 'postgres' },
      operation: { type: 'string', default: 'both' },
      'cpu-profile': { type: 'string' },
    },
  });
  const meters = positiveOption(values.meters, 100_000, 'meters');
  const seconds = positiveOption(values.seconds, 20, 'seconds');
  const concurrency = positiveOption(values.concurrency, 32, 'concurrency');
  const warmupSeconds = values.warmup === '0' ? 0 : positiveOption(values.warmup, 3, 'warmup');
  if (values.database !== 'postgres' && values.database !== 'pglite') throw new Error(`--database: expected postgres or pglite, got ${values.database}`);
  const operation = values.operation;
  if (operation !== 'both' && !OPERATIONS.some((each) => each.key === operation)) throw new Error(`--operation: expected latest, day or both, got ${operation}`);
  const chosen = OPERATIONS.filter((each) => operation === 'both' || each.key === operation);
  console.log(
    `multispeak: ${meters.toLocaleString('en-US')} meters; ${concurrency} requests in flight over keep-alive connections from a second process; ` +
      `${warmupSeconds} s warm-up, ${seconds} s measured per operation; load average before ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
  );

  const work = async (db: Database): Promise<void> => {
    const seedSeconds = await seed(db, meters);
    console.log(`seeded ${meters.toLocaleString('en-US')} meters, usage points and assignments, a register read and 96 quarter-hour values each, in ${seedSeconds.toFixed(1)} s (not timed)`);
    const log = createLogger('silent');
    const bus = await createBus({ transport: 'memory', retry: { maxRetries: 0, retryDelayMs: 0 }, freezeEvents: false, maxQueuedPerGroup: 1000 }, log);
    const config = multiSpeakConfigSchema.parse({ allowInlinePasswords: true, partners: { bench: { version: '3.0', userId: 'bench', password: PASSWORD } } });
    const app = await buildHttpServer({
      http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1_048_576, metricsPublic: false },
      bus,
      db,
      log,
      tokens: [],
      metrics: createMetrics(),
      multispeak: createMultiSpeakServer({ config, db, bus, log }),
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const each of chosen) {
        const rss = trackPeakRss();
        const measured = await measureLoad(
          {
            url: `${base}${config.basePath}/v3/MR_Server`,
            concurrency,
            warmupSeconds,
            seconds,
            template: envelope(each.body),
            soapAction: `"${MULTISPEAK_30}/${each.name}"`,
            meterNos: { count: meters, prefix: METER_PREFIX, width: METER_WIDTH },
          },
          { db, ...(values['cpu-profile'] === undefined ? {} : { profileFile: `${values['cpu-profile']}-${each.key}.cpuprofile` }) },
        );
        console.log(`${describe('label' in each ? each.label : each.name, measured)}\n  hub peak RSS ${rss.stop().toFixed(0)} MiB; load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
        if (measured.profile !== undefined) {
          const { profile } = measured;
          console.log(`  hub profile: busy ${(profile.busyMs / 1000).toFixed(1)} s, idle ${(profile.idleMs / 1000).toFixed(1)} s; by place ${formatShares(profile.byPlace)}`);
          console.log(`  hub profile, top functions (self): ${formatShares(profile.byFunction)}`);
        }
      }
      console.log(`meter numbers ${meterNoOf(0, METER_PREFIX, METER_WIDTH)} … ${meterNoOf(meters - 1, METER_PREFIX, METER_WIDTH)}; database ${db.kind}`);
    } finally {
      await app.close();
      await bus.close();
    }
  };
  if (values.database === 'pglite') await withPglite(work);
  else await withFreshPostgres(work, HUB_POOL_SIZE);
}
