/**
 * `busbar aggregate`: against a fake access (table, JSON, usage errors before any access), then
 * both real paths: the running hub's REST API over PGlite (no database.url) and PostgreSQL
 * directly (database.url).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumptionAggregate, ConsumptionQuery } from '../../../mdm/aggregation.js';
import { upsertUsagePoint } from '../../../mdm/master-data.js';
import { linkTransformer, upsertFeeder, upsertTransformer } from '../../../mdm/network.js';
import { sliceForUsagePoint } from '../../../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../../../mdm/store/interval-store.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { describeEachDatabase } from '../../db/testing/databases.js';
import { buildTestServerOn, TOKENS } from '../../http/testing/server-fixture.js';
import type { AggregationAccess } from '../aggregate-access.js';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';

const silent = pino({ level: 'silent' });
const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const FEEDER = '0190a0e1-0000-7000-8000-0000000002f1';
const TRANSFORMER = '0190a0e1-0000-7000-8000-0000000002b1';
const UP = '0190a0e1-0000-7000-8000-0000000002a1';
const PERIOD = ['--from', '2024-03-10T00:00:00-06:00', '--to', '2024-03-11T00:00:00-05:00'];

function captureIo(env: NodeJS.ProcessEnv = {}, cwd: string = mkdtempSync(join(tmpdir(), 'busbar-cli-aggregate-'))): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

const BY_FEEDER: ConsumptionAggregate = {
  groupBy: 'feeder',
  readingType: KWH_15,
  from: '2024-03-10T06:00:00.000Z',
  to: '2024-03-11T05:00:00.000Z',
  unit: 'kWh',
  groups: [
    { key: FEEDER, name: 'North 12kV', total: '12345.678', unit: 'kWh', usagePoints: 1250, intervals: 115_000, estimatedIntervals: 12, missingIntervals: 3 },
    { key: null, name: null, total: '7.5', unit: 'kWh', usagePoints: 2, intervals: 184, estimatedIntervals: 0, missingIntervals: 0 },
  ],
};

class FakeAggregationAccess implements AggregationAccess {
  readonly target = 'fake';
  readonly queries: ConsumptionQuery[] = [];
  closed = false;
  constructor(private readonly answer: ConsumptionAggregate) {}
  async consumption(query: ConsumptionQuery): Promise<ConsumptionAggregate> {
    this.queries.push(query);
    return { ...this.answer, groupBy: query.groupBy, from: query.from, to: query.to };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const withFake = (access: FakeAggregationAccess) => ({ openAggregationAccess: async () => access });

/** One RES usage point on TX-001 (North 12kV) with 92 quarter-hours of 0.25 kWh on the spring-forward day. */
async function seed(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await upsertUsagePoint(tx, { mRID: UP, rateClass: 'RES', commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
    await upsertFeeder(tx, { mRID: FEEDER, name: 'North 12kV' });
    await upsertTransformer(tx, { mRID: TRANSFORMER, name: 'TX-001', feeder: { mRID: FEEDER } });
    await linkTransformer(tx, { usagePoint: { mRID: UP }, transformer: { mRID: TRANSFORMER }, validFrom: '2020-01-01T00:00:00Z' });
    const values = new Array<string>(92).fill('0.25');
    await writeIntervalSlices(tx, sliceForUsagePoint({ start: '2024-03-10T06:00:00Z', intervalSeconds: 900, values, qualities: values.map(() => []) }, { usagePoint: UP, readingType: KWH_15, timeZone: 'America/Chicago' }), { by: 'test', kind: 'import' });
  });
}

describe('busbar aggregate against a fake access', () => {
  it('--help lists the options', async () => {
    const io = captureIo();
    expect(await runCli(['aggregate', '--help'], io)).toBe(0);
    const help = io.stdout().replace(/\s+/g, ' ');
    for (const flag of ['--by <grouping>', '--reading-type <code>', '--from <instant>', '--to <instant>', '--json']) expect(help).toContain(flag);
    expect(help).toContain('"rateClass", "feeder", "transformer"');
  });

  it('prints a table by default, the period converted to UTC, the null key as (none), and closes the access', async () => {
    const access = new FakeAggregationAccess(BY_FEEDER);
    const io = captureIo();
    expect(await runCli(['aggregate', '--by', 'feeder', '--reading-type', KWH_15, ...PERIOD], io, withFake(access))).toBe(0);
    expect(access.queries).toEqual([{ groupBy: 'feeder', readingType: KWH_15, from: '2024-03-10T06:00:00.000Z', to: '2024-03-11T05:00:00.000Z' }]);
    expect(access.closed).toBe(true);
    expect(io.stdout().split('\n')).toEqual([
      'FEEDER                                NAME        TOTAL (kWh)  USAGE POINTS  INTERVALS  ESTIMATED  MISSING',
      `${FEEDER}  North 12kV    12345.678         1,250    115,000         12        3`,
      '(none)                                                    7.5             2        184          0        0',
    ]);
  });

  it('prints JSON with --json, and a note when the period has no data', async () => {
    const json = captureIo();
    expect(await runCli(['aggregate', '--by', 'feeder', '--reading-type', KWH_15, ...PERIOD, '--json'], json, withFake(new FakeAggregationAccess(BY_FEEDER)))).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual(BY_FEEDER);
    const empty = captureIo();
    expect(await runCli(['aggregate', '--by', 'rateClass', '--reading-type', KWH_15, ...PERIOD], empty, withFake(new FakeAggregationAccess({ ...BY_FEEDER, groups: [] })))).toBe(0);
    expect(empty.stdout()).toBe(`no interval data of ${KWH_15} from 2024-03-10T06:00:00.000Z to 2024-03-11T05:00:00.000Z`);
  });

  it('refuses a bad grouping, reading type or period before reaching the data', async () => {
    const access = new FakeAggregationAccess(BY_FEEDER);
    const cases: Array<[string[], RegExp]> = [
      [['--by', 'meter', '--reading-type', KWH_15, ...PERIOD], /argument 'meter' is invalid/],
      [['--by', 'feeder', '--reading-type', '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0', ...PERIOD], /--reading-type: .*bulk quantity/],
      [['--by', 'feeder', '--reading-type', KWH_15, '--from', '2024-03-10', '--to', '2024-03-11T00:00:00Z'], /is a date without a time and offset/],
      [['--by', 'feeder', '--reading-type', KWH_15, '--from', '2024-03-11T00:00:00Z', '--to', '2024-03-10T00:00:00Z'], /must be after from/],
      [['--by', 'feeder', '--reading-type', KWH_15, '--from', '2024-03-10T00:00:00Z'], /required option '--to <instant>' not specified/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo();
      expect(await runCli(['aggregate', ...argv], io, withFake(access)), argv.join(' ')).toBe(1);
      expect(io.stderr(), argv.join(' ')).toMatch(message);
    }
    expect(access.queries).toEqual([]);
  });
});

describe('busbar aggregate through the running hub (PGlite, no database.url)', () => {
  let db: Database;
  let close: () => Promise<void>;
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-aggregate-hub-'));

  beforeAll(async () => {
    db = await openPglite({ dataDir: IN_MEMORY }, silent);
    await migrate(db, silent);
    await seed(db);
    const app = await buildTestServerOn(db);
    await app.listen({ host: '127.0.0.1', port: 0 });
    close = () => app.close();
    const address: AddressInfo | string | null = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    writeFileSync(join(cwd, 'busbar.yaml'), `http:\n  port: ${port}\ndatabase:\n  dataDir: data\n`);
  });
  afterAll(async () => {
    await close();
    await db.close();
  });

  it('aggregates over REST as a table and as JSON', async () => {
    const table = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['aggregate', '--by', 'transformer', '--reading-type', KWH_15, ...PERIOD], table)).toBe(0);
    expect(table.stdout().split('\n')).toEqual([
      'TRANSFORMER                           NAME    TOTAL (kWh)  USAGE POINTS  INTERVALS  ESTIMATED  MISSING',
      `${TRANSFORMER}  TX-001        23.00             1         92          0        0`,
    ]);
    const json = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['aggregate', '--by', 'rateClass', '--reading-type', KWH_15, ...PERIOD, '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ groupBy: 'rateClass', unit: 'kWh', groups: [{ key: 'RES', total: '23.00', intervals: 92 }] });
  });

  it('passes on the hub\'s refusal: a period over its limit, a token without the role', async () => {
    const tooLong = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['aggregate', '--by', 'feeder', '--reading-type', KWH_15, '--from', '2022-01-01T00:00:00Z', '--to', '2024-01-01T00:00:00Z'], tooLong)).toBe(1);
    expect(tooLong.stderr()).toContain('hub answered 400: the period 2022-01-01T00:00:00.000Z to 2024-01-01T00:00:00.000Z spans more than 366 days');
    const metrics = captureIo({ BUSBAR_TOKEN: TOKENS.metrics }, cwd);
    expect(await runCli(['aggregate', '--by', 'feeder', '--reading-type', KWH_15, ...PERIOD], metrics)).toBe(1);
    expect(metrics.stderr()).toContain('hub answered 403');
  });
});

describeEachDatabase(
  'busbar aggregate with database.url',
  ({ kind, db, url }) => {
    it('reads PostgreSQL directly, no hub running', async ({ skip }) => {
      if (kind !== 'postgres') skip('database.url means PostgreSQL');
      await seed(db());
      const io = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['aggregate', '--by', 'feeder', '--reading-type', KWH_15, ...PERIOD], io)).toBe(0);
      expect(io.stdout().split('\n')).toEqual([
        'FEEDER                                NAME        TOTAL (kWh)  USAGE POINTS  INTERVALS  ESTIMATED  MISSING',
        `${FEEDER}  North 12kV        23.00             1         92          0        0`,
      ]);
    });
  },
  { migrated: true },
);
