/**
 * `busbar determinants`: against a fake access (table, JSON, usage errors before any access), then
 * both real paths over the crafted June: the running hub's REST API over PGlite (no database.url)
 * and PostgreSQL directly (database.url).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KWH_15 } from '../../../mdm/billing/__fixtures__/june-2024.js';
import { JUNE_USAGE_POINT, JUNE_USAGE_POINT_NAME, seedJune } from '../../../test/testing/billing-fixtures.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { describeEachDatabase } from '../../db/testing/databases.js';
import { buildTestServerOn, TOKENS } from '../../http/testing/server-fixture.js';
import type { DeterminantsAccess, DeterminantsAnswer, DeterminantsRequest } from '../determinants-access.js';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';

const silent = pino({ level: 'silent' });
const GAS_UP = '0190a0e1-0000-7000-8000-0000000b0301';
const OLD = '0190a0e1-0000-7000-8000-0000000c0301';
const NEW = '0190a0e1-0000-7000-8000-0000000c0302';

function captureIo(env: NodeJS.ProcessEnv = {}, cwd: string = mkdtempSync(join(tmpdir(), 'busbar-cli-determinants-'))): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

const GAS_ANSWER: DeterminantsAnswer = {
  usagePoint: { mRID: GAS_UP, name: 'gas service 7' },
  timeZone: 'America/Chicago',
  rateClass: 'G-RES',
  periodStart: '2024-04-01T05:00:00.000Z',
  periodEnd: '2024-05-01T05:00:00.000Z',
  complete: true,
  profile: { id: '7', rateClass: 'G-RES', effectiveFrom: '2020-01-01' },
  determinants: [
    {
      name: 'ccf-total',
      kind: 'consumption',
      quantity: { value: '125.5', unit: 'CCF' },
      actualIntervals: 3,
      estimatedIntervals: 1,
      missingIntervals: 0,
      meterReads: [
        { meter: OLD, startTimeStamp: '2024-04-01T05:00:00.000Z', startValue: '9950', endTimeStamp: '2024-04-15T17:00:00.000Z', endValue: '30', consumption: '80', rollovers: 1 },
        { meter: NEW, startTimeStamp: '2024-04-15T17:00:00.000Z', startValue: '0', endTimeStamp: '2024-05-01T05:00:00.000Z', endValue: '45.5', consumption: '45.5', rollovers: 0 },
      ],
    },
  ],
};

class FakeDeterminantsAccess implements DeterminantsAccess {
  readonly target = 'fake';
  readonly requests: DeterminantsRequest[] = [];
  closed = false;
  async determinants(request: DeterminantsRequest): Promise<DeterminantsAnswer> {
    this.requests.push(request);
    return GAS_ANSWER;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const withFake = (access: FakeDeterminantsAccess) => ({ openDeterminantsAccess: async () => access });

describe('busbar determinants against a fake access', () => {
  it('prints a table with the shares of estimated data and each meter\'s reads, and closes the access', async () => {
    const access = new FakeDeterminantsAccess();
    const io = captureIo();
    expect(await runCli(['determinants', 'gas service 7', '--from', '2024-04-01', '--to', '2024-05-01'], io, withFake(access))).toBe(0);
    expect(access.requests).toEqual([{ usagePoint: 'gas service 7', from: '2024-04-01', to: '2024-05-01' }]);
    expect(access.closed).toBe(true);
    expect(io.stdout().split('\n')).toEqual([
      `usage point ${GAS_UP} (gas service 7), America/Chicago, rate class G-RES`,
      'period 2024-04-01T05:00:00.000Z to 2024-05-01T05:00:00.000Z, profile 7 from 2020-01-01',
      'complete: yes',
      '',
      'NAME       QUANTITY  UNIT  AT  ACTUAL  ESTIMATED  MISSING  ESTIMATED %',
      'ccf-total     125.5  CCF            3          1        0        25.0%',
      `ccf-total: meter ${OLD}: 9950 at 2024-04-01T05:00:00.000Z to 30 at 2024-04-15T17:00:00.000Z = 80 (1 rollover)`,
      `ccf-total: meter ${NEW}: 0 at 2024-04-15T17:00:00.000Z to 45.5 at 2024-05-01T05:00:00.000Z = 45.5`,
      'power factor: none (no kVArh data, or not configured)',
    ]);
  });

  it('prints JSON with --json and passes repeated ReadingTypes on', async () => {
    const access = new FakeDeterminantsAccess();
    const io = captureIo();
    expect(await runCli(['determinants', GAS_UP, '--from', '2024-04-01T00:00:00-05:00', '--to', '2024-05-01', '--reading-type', KWH_15, '--reading-type', KWH_15, '--json'], io, withFake(access))).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual(GAS_ANSWER);
    expect(access.requests[0]?.readingTypes).toEqual([KWH_15, KWH_15]);
  });

  it('refuses a malformed bound or ReadingType before reaching the data', async () => {
    const access = new FakeDeterminantsAccess();
    const cases: Array<[string[], RegExp]> = [
      [['x', '--from', 'June', '--to', '2024-05-01'], /--from must be a local date YYYY-MM-DD or an RFC 3339 date-time with an offset, got "June"/],
      [['x', '--from', '2024-04-01', '--to', '2024-05-01', '--reading-type', 'kwh'], /--reading-type must be a ReadingType code of 18 dot-separated integers, got "kwh"/],
      [['x', '--from', '2024-04-01'], /required option '--to <date>' not specified/],
      [['--from', '2024-04-01', '--to', '2024-05-01'], /missing required argument 'usage-point'/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo();
      expect(await runCli(['determinants', ...argv], io, withFake(access)), argv.join(' ')).toBe(1);
      expect(io.stderr(), argv.join(' ')).toMatch(message);
    }
    expect(access.requests).toEqual([]);
  });
});

describe('busbar determinants through the running hub (PGlite, no database.url)', () => {
  let db: Database;
  let close: () => Promise<void>;
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-determinants-hub-'));

  beforeAll(async () => {
    db = await openPglite({ dataDir: IN_MEMORY }, silent);
    await migrate(db, silent);
    await db.transaction((tx) => seedJune(tx));
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

  it('computes over REST, by name, as a table and as JSON', async () => {
    const table = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['determinants', JUNE_USAGE_POINT_NAME, '--from', '2024-06-01', '--to', '2024-07-01'], table)).toBe(0);
    const lines = table.stdout().split('\n');
    expect(lines[2]).toBe('complete: no (missing data)');
    expect(lines.find((line) => line.startsWith('kw-max-summer-on-peak'))).toBe('kw-max-summer-on-peak       16.5  kW    2024-06-12T20:30:00.000Z     380          0        0         0.0%');
    expect(lines.at(-1)).toBe('power factor: 0.8 (kWh 2911.5, kVArh 2183.625)');
    const json = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['determinants', JUNE_USAGE_POINT, '--from', '2024-06-01', '--to', '2024-07-01', '--json'], json)).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ usagePoint: { mRID: JUNE_USAGE_POINT }, complete: false, powerFactor: { value: '0.8' } });
  });

  it('passes on the hub\'s refusal', async () => {
    const io = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['determinants', 'nobody', '--from', '2024-06-01', '--to', '2024-07-01'], io)).toBe(1);
    expect(io.stderr()).toContain('hub answered 404: no usage point has name "nobody".');
  });
});

describeEachDatabase(
  'busbar determinants with database.url',
  ({ kind, db, url }) => {
    it('reads PostgreSQL directly, no hub running', async ({ skip }) => {
      if (kind !== 'postgres') skip('database.url means PostgreSQL');
      await db().transaction((tx) => seedJune(tx));
      const io = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['determinants', JUNE_USAGE_POINT, '--from', '2024-06-01', '--to', '2024-07-01'], io)).toBe(0);
      expect(io.stdout().split('\n').find((line) => line.startsWith('kwh-summer-on-peak'))).toBe('kwh-summer-on-peak         400.5  kWh                                380          0        0         0.0%');
      const refused = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['determinants', JUNE_USAGE_POINT, '--from', '2024-07-01', '--to', '2024-06-01'], refused)).toBe(1);
      expect(refused.stderr()).toContain('to: to 2024-06-01 must be after from 2024-07-01 (invalid-period)');
    });
  },
  { migrated: true },
);
