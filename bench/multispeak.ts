/**
 * `npm run bench -- multispeak [--meters N] [--seconds S] [--concurrency C] [--database postgres|pglite] [--operation latest|day|both]`
 *
 * The hub's MultiSpeak server under load: N meters (default 100,000) with a register read and a
 * day of 15-minute kWh each in the store, the hub's HTTP server with its MultiSpeak endpoints in
 * this process (the PostgreSQL pool the hub uses by default), and a load generator in a second
 * process (bench/multispeak-load.ts) calling 3.0 GetLatestReadingByMeterNo, then
 * GetReadingsByMeterNo for one day, for random meters over C keep-alive connections. Prints
 * requests/s, latency percentiles, answer sizes, the hub process's CPU and peak RSS.
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
import { positiveOption, withFreshPostgres, withPglite } from './databases.js';
import { trackPeakRss } from './measure.js';
import type { LoadOrder, LoadReport } from './multispeak-load.js';

const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const DAY_START = '2024-05-01T05:00:00Z';
const METER_PREFIX = 'M';
const WIDTH = 7;
const PASSWORD = 'bench-password-0123456789';

async function seed(db: Database, meters: number): Promise<number> {
  const started = performance.now();
  const chunk = 20_000;
  for (let first = 0; first < meters; first += chunk) {
    const last = Math.min(meters, first + chunk) - 1;
    const params = [first, last];
    await db.query(`INSERT INTO mdm.usage_point (mrid, commodity, time_zone, connection_state) SELECT md5('up' || n)::uuid, 'electric', 'America/Chicago', 'connected' FROM generate_series($1::int, $2::int) n`, params);
    await db.query(`INSERT INTO mdm.meter (mrid, serial_number, commodity) SELECT md5('m' || n)::uuid, '${METER_PREFIX}' || lpad(n::text, ${WIDTH}, '0'), 'electric' FROM generate_series($1::int, $2::int) n`, params);
    await db.query(`INSERT INTO mdm.meter_assignment (meter_mrid, usage_point_mrid, valid_from) SELECT md5('m' || n)::uuid, md5('up' || n)::uuid, '2024-01-01T00:00:00Z' FROM generate_series($1::int, $2::int) n`, params);
    await db.query(
      `INSERT INTO mdm.register_read (usage_point_mrid, meter_mrid, reading_type, read_at, version, value, is_current, created_by, change_kind)
       SELECT md5('up' || n)::uuid, md5('m' || n)::uuid, $3, '2024-05-02T05:00:00Z', 1, (10000 + n % 5000)::numeric, true, 'bench', 'import' FROM generate_series($1::int, $2::int) n`,
      [...params, ReadingTypeCodes.RegisterKwhForward],
    );
    await db.query(
      `INSERT INTO mdm.interval_day (usage_point_mrid, reading_type, local_date, version, day_start, interval_seconds, interval_count, interval_values, qualities, is_current, created_by, change_kind)
       SELECT md5('up' || n)::uuid, $3, '2024-05-01', 1, $4::timestamptz, 900, 96,
              array_fill((0.25 + (n % 100) / 1000.0)::numeric, ARRAY[96]), array_fill('3.0.1'::text, ARRAY[96]), true, 'bench', 'import'
         FROM generate_series($1::int, $2::int) n`,
      [...params, KWH_15, DAY_START],
    );
  }
  await db.exec('ANALYZE mdm.meter; ANALYZE mdm.meter_assignment; ANALYZE mdm.register_read; ANALYZE mdm.interval_day; ANALYZE mdm.external_name');
  return (performance.now() - started) / 1000;
}

function envelope(body: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
    `<MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" Version="3.0" UserID="bench" Pwd="${PASSWORD}" AppName="LoadGen" Company="BenchCoop"/></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

function runLoad(order: LoadOrder): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./multispeak-load.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
    child.once('message', (report: LoadReport) => resolve(report));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with ${code}`));
    });
    child.send(order);
  });
}

export async function runMultiSpeakBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { meters: { type: 'string' }, seconds: { type: 'string' }, concurrency: { type: 'string' }, database: { type: 'string', default: 'postgres' }, operation: { type: 'string', default: 'both' } },
  });
  const meters = positiveOption(values.meters, 100_000, '--meters');
  const seconds = positiveOption(values.seconds, 20, '--seconds');
  const concurrency = positiveOption(values.concurrency, 32, '--concurrency');
  const work = async (db: Database): Promise<void> => {
    console.log(`seeding: ${meters.toLocaleString('en-US')} meters, each with a register read and a day of 15-minute kWh, in ${(await seed(db, meters)).toFixed(1)} s (not timed)`);
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
    const url = `${base}/multispeak/v3/MR_Server`;
    try {
      const cases = [
        { name: 'GetLatestReadingByMeterNo', body: `<GetLatestReadingByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>{{meterNo}}</meterNo></GetLatestReadingByMeterNo>` },
        {
          name: 'GetReadingsByMeterNo (one day, 96 intervals)',
          body: `<GetReadingsByMeterNo xmlns="${MULTISPEAK_30}"><meterNo>{{meterNo}}</meterNo><startDate>2024-05-01T05:00:00Z</startDate><endDate>2024-05-02T05:00:00Z</endDate></GetReadingsByMeterNo>`,
        },
      ];
      const chosen = values.operation === 'latest' ? cases.slice(0, 1) : values.operation === 'day' ? cases.slice(1) : cases;
      for (const each of chosen) {
        const rss = trackPeakRss();
        const cpu = process.cpuUsage();
        const report = await runLoad({
          url,
          concurrency,
          warmupSeconds: 3,
          seconds,
          meters,
          template: envelope(each.body),
          soapAction: `"${MULTISPEAK_30}/${each.name.split(' ')[0] ?? ''}"`,
          meterNoOf: { prefix: METER_PREFIX, width: WIDTH },
        });
        const used = process.cpuUsage(cpu);
        const perSecond = report.requests / report.seconds;
        console.log(
          `${each.name}: ${report.requests.toLocaleString('en-US')} requests in ${report.seconds} s = ${Math.round(perSecond).toLocaleString('en-US')} req/s, ` +
            `${report.errors} errors${report.firstError === undefined ? '' : ` (first: ${report.firstError})`}; ` +
            `latency p50 ${report.p50.toFixed(1)} ms, p90 ${report.p90.toFixed(1)} ms, p99 ${report.p99.toFixed(1)} ms, max ${report.max.toFixed(1)} ms; ` +
            `answer ${Math.round(report.bytes / Math.max(1, report.requests)).toLocaleString('en-US')} bytes; ` +
            `hub CPU ${((used.user + used.system) / 1e6).toFixed(1)} s over ${report.seconds + 3} s; hub peak RSS ${rss.stop().toFixed(0)} MiB; load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
        );
      }
      console.log(`concurrency ${concurrency} keep-alive connections from a second process; database ${db.kind}`);
    } finally {
      await app.close();
      await bus.close();
    }
  };
  if (values.database === 'pglite') await withPglite(work);
  else await withFreshPostgres(work, 10);
}
