/**
 * `busbar vee exceptions list|resolve` and `busbar vee estimate`: against a fake access (table,
 * filters, outcomes, report lines), then through the running hub's REST API over PGlite (no
 * database.url), and `vee estimate` on PostgreSQL directly (database.url).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertUsagePoint } from '../../../mdm/master-data.js';
import { recordExceptions, type ExceptionFilter, type ResolveOutcome, type StoredException } from '../../../mdm/vee/exception-store.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { describeEachDatabase } from '../../db/testing/databases.js';
import { buildTestServerOn, TOKENS } from '../../http/testing/server-fixture.js';
import type { EstimationRunReport } from '../../runtime/estimation-sweep.js';
import { PENDING_READING_TYPE, saveSweepVeeConfig, seedPendingDay } from '../../runtime/testing/pending-estimation.js';
import type { CliIo } from '../io.js';
import { runCli } from '../program.js';
import type { VeeEstimationAccess, VeeExceptionAccess, VeeResolutionRequest } from '../vee-access.js';

const silent = pino({ level: 'silent' });
const UP = '0190a0e1-0000-7000-8000-0000000000d1';
const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';

function captureIo(env: NodeJS.ProcessEnv = {}, cwd: string = mkdtempSync(join(tmpdir(), 'busbar-cli-vee-'))): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

const GAP: StoredException = {
  id: '7',
  usagePoint: UP,
  readingType: KWH_15,
  localDate: '2024-06-10',
  rule: 'gaps',
  severity: 'error',
  periodStart: '2024-06-10T10:30:00.000Z',
  periodEnd: '2024-06-10T11:15:00.000Z',
  message: '3 intervals missing\n(06:30-07:15)',
  details: { intervals: [26, 27, 28] },
  status: 'open',
  raisedAt: '2024-06-11T05:00:00.000Z',
  lastSeenAt: '2024-06-11T05:00:00.000Z',
  resolvedAt: null,
  resolvedBy: null,
  resolutionNote: null,
};
const CLOSED: StoredException = { ...GAP, id: '8', rule: 'spike', status: 'ignored', resolvedAt: '2024-06-12T09:00:00.000Z', resolvedBy: 'bob', resolutionNote: 'known event' };

class FakeVeeAccess implements VeeExceptionAccess {
  readonly target = 'fake';
  readonly listCalls: ExceptionFilter[] = [];
  readonly resolveCalls: Array<[string, VeeResolutionRequest]> = [];
  closed = false;
  constructor(private readonly items: readonly StoredException[]) {}
  async list(filter: ExceptionFilter): Promise<StoredException[]> {
    this.listCalls.push(filter);
    return [...this.items];
  }
  async resolve(id: string, resolution: VeeResolutionRequest): Promise<ResolveOutcome> {
    this.resolveCalls.push([id, resolution]);
    const item = this.items.find((candidate) => candidate.id === id);
    if (item === undefined) return { kind: 'not-found' };
    if (item.status !== 'open') return { kind: 'not-open', exception: item };
    return { kind: 'resolved', exception: { ...item, status: resolution.status, resolvedAt: '2024-06-12T10:00:00.000Z', resolvedBy: 'alice', resolutionNote: resolution.note ?? null } };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const withFake = (access: FakeVeeAccess) => ({ openVeeExceptionAccess: async () => access });

describe('busbar vee exceptions against a fake access', () => {
  it('--help lists the filters and options', async () => {
    const io = captureIo();
    expect(await runCli(['vee', 'exceptions', 'list', '--help'], io)).toBe(0);
    const help = io.stdout().replace(/\s+/g, ' ');
    for (const flag of ['--status <status>', '--usage-point <mRID>', '--limit <count>', '--json']) expect(help).toContain(flag);
    const resolve = captureIo();
    expect(await runCli(['vee', 'exceptions', 'resolve', '--help'], resolve)).toBe(0);
    expect(resolve.stdout()).toContain('Usage: busbar vee exceptions resolve [options] <id>');
    for (const flag of ['--ignore', '--note <text>']) expect(resolve.stdout()).toContain(flag);
  });

  it('lists a table with control characters escaped, passing the filters, and closes the access', async () => {
    const access = new FakeVeeAccess([GAP, CLOSED]);
    const io = captureIo();
    expect(await runCli(['vee', 'exceptions', 'list', '--status', 'open', '--usage-point', UP, '--limit', '5'], io, withFake(access))).toBe(0);
    expect(access.listCalls).toEqual([{ limit: 5, status: 'open', usagePoint: UP }]);
    expect(access.closed).toBe(true);
    const lines = io.stdout().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+SEVERITY\s+USAGE POINT\s+DAY\s+RULE\s+MESSAGE$/);
    expect(lines[1]).toMatch(new RegExp(`^7\\s+open\\s+error\\s+${UP}\\s+2024-06-10\\s+gaps\\s+3 intervals missing\\\\n\\(06:30-07:15\\)$`));
    expect(lines).toHaveLength(3);
  });

  it('prints JSON with --json, a note when empty, and defaults the limit to 100', async () => {
    const json = captureIo();
    expect(await runCli(['vee', 'exceptions', 'list', '--json'], json, withFake(new FakeVeeAccess([GAP])))).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual([GAP]);
    const empty = new FakeVeeAccess([]);
    const io = captureIo();
    expect(await runCli(['vee', 'exceptions', 'list'], io, withFake(empty))).toBe(0);
    expect(io.stdout()).toBe('no VEE exceptions');
    expect(empty.listCalls).toEqual([{ limit: 100 }]);
  });

  it('refuses a bad status, usage point, limit or id before reaching the hub', async () => {
    const access = new FakeVeeAccess([GAP]);
    for (const argv of [['list', '--status', 'closed'], ['list', '--usage-point', 'UP-1'], ['list', '--limit', '0'], ['resolve', 'x1'], ['resolve', '9999999999999999999']]) {
      const io = captureIo();
      expect(await runCli(['vee', 'exceptions', ...argv], io, withFake(access)), argv.join(' ')).toBe(1);
    }
    expect(access.listCalls).toEqual([]);
    expect(access.resolveCalls).toEqual([]);
  });

  it('resolves, ignores with a note, and exits 1 for an absent or closed item', async () => {
    const access = new FakeVeeAccess([GAP, CLOSED]);
    const resolved = captureIo();
    expect(await runCli(['vee', 'exceptions', 'resolve', '7'], resolved, withFake(access))).toBe(0);
    expect(resolved.stdout()).toBe('VEE exception 7 resolved by alice at 2024-06-12T10:00:00.000Z');
    const ignored = captureIo();
    expect(await runCli(['vee', 'exceptions', 'resolve', '7', '--ignore', '--note', 'meter was off'], ignored, withFake(access))).toBe(0);
    expect(ignored.stdout()).toBe('VEE exception 7 ignored by alice at 2024-06-12T10:00:00.000Z: meter was off');
    expect(access.resolveCalls).toEqual([['7', { status: 'resolved' }], ['7', { status: 'ignored', note: 'meter was off' }]]);
    const closed = captureIo();
    expect(await runCli(['vee', 'exceptions', 'resolve', '8'], closed, withFake(access))).toBe(1);
    expect(closed.stderr()).toContain('VEE exception 8 is no longer open: ignored by bob at 2024-06-12T09:00:00.000Z: known event');
    const absent = captureIo();
    expect(await runCli(['vee', 'exceptions', 'resolve', '99'], absent, withFake(access))).toBe(1);
    expect(absent.stderr()).toContain('no VEE exception has id 99 (fake)');
  });
});

describe('busbar vee exceptions through the running hub (PGlite, no database.url)', () => {
  let db: Database;
  let close: () => Promise<void>;
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-vee-hub-'));

  beforeAll(async () => {
    db = await openPglite({ dataDir: IN_MEMORY }, silent);
    await migrate(db, silent);
    await upsertUsagePoint(db, { mRID: UP, commodity: 'electric', timeZone: 'America/New_York', connectionState: 'connected' });
    const { usagePoint, readingType, localDate, rule, severity, periodStart, periodEnd, message } = GAP;
    await recordExceptions(db, [{ usagePoint, readingType, localDate, rule, severity, periodStart, periodEnd, message, details: { intervals: [26] } }]);
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

  it('lists over REST, resolves as the token\'s principal, and reports a second resolve as closed', async () => {
    const list = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['vee', 'exceptions', 'list', '--json', '--status', 'open'], list)).toBe(0);
    const items: unknown = JSON.parse(list.stdout());
    expect(items).toMatchObject([{ usagePoint: UP, rule: 'gaps', status: 'open', details: { intervals: [26] } }]);
    const id = Array.isArray(items) && typeof items[0] === 'object' && items[0] !== null && 'id' in items[0] ? String(items[0].id) : '';

    const reader = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['vee', 'exceptions', 'resolve', id], reader)).toBe(1);
    expect(reader.stderr()).toContain('hub answered 403');

    const operator = captureIo({ BUSBAR_TOKEN: TOKENS.operator }, cwd);
    expect(await runCli(['vee', 'exceptions', 'resolve', id, '--ignore', '--note', 'meter was off'], operator)).toBe(0);
    expect(operator.stdout()).toMatch(new RegExp(`^VEE exception ${id} ignored by operator-user at \\S+: meter was off$`));
    const again = captureIo({ BUSBAR_TOKEN: TOKENS.operator }, cwd);
    expect(await runCli(['vee', 'exceptions', 'resolve', id], again)).toBe(1);
    expect(again.stderr()).toContain(`VEE exception ${id} is no longer open: ignored by operator-user`);
    const absent = captureIo({ BUSBAR_TOKEN: TOKENS.operator }, cwd);
    expect(await runCli(['vee', 'exceptions', 'resolve', '987654321'], absent)).toBe(1);
    expect(absent.stderr()).toContain('no VEE exception has id 987654321 (hub http://127.0.0.1:');
    const empty = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['vee', 'exceptions', 'list', '--status', 'open'], empty)).toBe(0);
    expect(empty.stdout()).toBe('no VEE exceptions');
  });
});

const UP_PENDING = '0190a0e1-0000-7000-8000-0000000eb001';
const METER_PENDING = '0190a0e1-0000-7000-8000-0000000fb001';

class FakeEstimationAccess implements VeeEstimationAccess {
  readonly target = 'fake';
  runs = 0;
  closed = false;
  constructor(private readonly report: EstimationRunReport) {}
  async run(): Promise<EstimationRunReport> {
    this.runs += 1;
    return this.report;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const ESTIMATED_DAY = { usagePoint: UP, readingType: KWH_15, localDate: '2024-06-10', version: 3, reason: 'linear: 2 interval(s) [26,27]\nnote' };

describe('busbar vee estimate against a fake access', () => {
  it('prints one line per estimated day, control characters escaped, then the summary, and closes the access', async () => {
    const access = new FakeEstimationAccess({ examined: 4, estimatedDays: 1, estimated: [ESTIMATED_DAY], truncated: false });
    const io = captureIo();
    expect(await runCli(['vee', 'estimate'], io, { openVeeEstimationAccess: async () => access })).toBe(0);
    expect(io.stdout().split('\n')).toEqual([`2024-06-10  ${UP}  ${KWH_15}  version 3  linear: 2 interval(s) [26,27]\\nnote`, '4 day(s) examined, 1 estimated']);
    expect([access.runs, access.closed]).toEqual([1, true]);
  });

  it('says how many were listed when the list was cut, and prints the report with --json', async () => {
    const report: EstimationRunReport = { examined: 1500, estimatedDays: 1200, estimated: [ESTIMATED_DAY], truncated: true };
    const io = captureIo();
    expect(await runCli(['vee', 'estimate'], io, { openVeeEstimationAccess: async () => new FakeEstimationAccess(report) })).toBe(0);
    expect(io.stdout().split('\n').at(-1)).toBe('1500 day(s) examined, 1200 estimated (the first 1 listed)');
    const json = captureIo();
    expect(await runCli(['vee', 'estimate', '--json'], json, { openVeeEstimationAccess: async () => new FakeEstimationAccess(report) })).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual(report);
  });
});

describe('busbar vee estimate through the running hub (PGlite, no database.url)', () => {
  let db: Database;
  let close: () => Promise<void>;
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-vee-estimate-'));

  beforeAll(async () => {
    db = await openPglite({ dataDir: IN_MEMORY }, silent);
    await migrate(db, silent);
    await saveSweepVeeConfig(db);
    // Imported an hour after it ended, long ago: the gap is due now.
    await seedPendingDay(db, { usagePoint: UP_PENDING, meter: METER_PENDING, meterName: 'SWEEP-C1', localDate: '2024-06-12' });
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

  it('needs an operator, estimates the pending day over REST, and finds nothing the second time', async () => {
    const reader = captureIo({ BUSBAR_TOKEN: TOKENS.reader }, cwd);
    expect(await runCli(['vee', 'estimate'], reader)).toBe(1);
    expect(reader.stderr()).toContain('POST /api/vee/estimation-runs: hub answered 403');

    const operator = captureIo({ BUSBAR_TOKEN: TOKENS.operator }, cwd);
    expect(await runCli(['vee', 'estimate'], operator)).toBe(0);
    expect(operator.stdout().split('\n')).toEqual([`2024-06-12  ${UP_PENDING}  ${PENDING_READING_TYPE}  version 2  linear: 2 interval(s) [20,21]`, '1 day(s) examined, 1 estimated']);

    const again = captureIo({ BUSBAR_TOKEN: TOKENS.operator }, cwd);
    expect(await runCli(['vee', 'estimate', '--json'], again)).toBe(0);
    expect(JSON.parse(again.stdout())).toEqual({ examined: 0, estimatedDays: 0, estimated: [], truncated: false });
  });
});

describeEachDatabase(
  'busbar vee estimate with database.url',
  ({ kind, db, url }) => {
    it('estimates on PostgreSQL directly, no hub running', async ({ skip }) => {
      if (kind !== 'postgres') skip('database.url means PostgreSQL');
      await saveSweepVeeConfig(db());
      await seedPendingDay(db(), { usagePoint: UP_PENDING, meter: METER_PENDING, meterName: 'SWEEP-C1', localDate: '2024-06-12' });
      const io = captureIo({ DATABASE_URL: url() ?? '' });
      expect(await runCli(['vee', 'estimate', '--json'], io)).toBe(0);
      expect(JSON.parse(io.stdout())).toEqual({
        examined: 1,
        estimatedDays: 1,
        estimated: [{ usagePoint: UP_PENDING, readingType: PENDING_READING_TYPE, localDate: '2024-06-12', version: 2, reason: 'linear: 2 interval(s) [20,21]' }],
        truncated: false,
      });
    });
  },
  { migrated: true },
);
