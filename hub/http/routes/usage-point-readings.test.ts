/**
 * GET /api/usage-points/:mRID/readings and /register-reads over an in-memory PGlite with the real
 * migrations, seeded through the meter data core: a Chicago usage point with 15-minute kWh on the
 * spring-forward day (23 hours: 92 intervals), revised once, and a register read pair.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../../../mdm/master-data.js';
import { sliceForUsagePoint } from '../../../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../../../mdm/store/interval-store.js';
import { writeRegisterReads } from '../../../mdm/store/register-store.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { bearer, buildTestServerOn, TOKENS } from '../testing/server-fixture.js';

const silent = pino({ level: 'silent' });
const USAGE_POINT = '0190a0e1-0000-7000-8000-0000000000a1';
const METER = '0190a0e1-0000-7000-8000-0000000000b1';
const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const CF_REG = '0.0.0.1.1.7.12.0.0.0.0.0.0.0.0.0.119.0';
/** 2024-03-10 in America/Chicago starts at 06:00Z (CST) and has 23 hours. */
const DST_DAY_START = '2024-03-10T06:00:00.000Z';
let db: Database;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openPglite({ dataDir: IN_MEMORY }, silent);
  await migrate(db, silent);
  app = await buildTestServerOn(db);
  const target = { usagePoint: USAGE_POINT, readingType: KWH_15, timeZone: 'America/Chicago' };
  const values = Array.from({ length: 92 }, (_, index) => (index === 5 ? null : (0.25 + index / 100).toFixed(2)));
  const qualities = values.map((value) => (value === null ? ['2.5.259'] : []));
  await db.transaction(async (tx) => {
    await upsertUsagePoint(tx, { mRID: USAGE_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
    await upsertMeter(tx, { mRID: METER, serialNumber: 'E-1', commodity: 'electric', multipliers: [], registers: [] });
    await assignMeter(tx, { meter: METER, usagePoint: USAGE_POINT, validFrom: '2024-01-01T00:00:00Z' });
    await writeIntervalSlices(tx, sliceForUsagePoint({ start: DST_DAY_START, intervalSeconds: 900, values, qualities }, target), { by: 'cmep:feedA', kind: 'import', reason: 'day1.cmep' });
    // A resent file with a corrected first interval: a second version, the first kept.
    await writeIntervalSlices(tx, sliceForUsagePoint({ start: DST_DAY_START, intervalSeconds: 900, values: ['0.40'], qualities: [[]] }, target), { by: 'cmep:feedA', kind: 'import', reason: 'day1-resent.cmep' });
    await writeRegisterReads(tx, [
      { usagePoint: USAGE_POINT, meter: METER, readingType: CF_REG, timeStamp: DST_DAY_START, value: '1000', qualities: [] },
      { usagePoint: USAGE_POINT, meter: METER, readingType: CF_REG, timeStamp: '2024-03-11T05:00:00.000Z', value: '1045.5', qualities: [] },
    ], { by: 'cmep:feedA', kind: 'import', reason: 'day1.cmep' });
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface DayAnswer {
  localDate: string;
  version: number;
  isCurrent: boolean;
  dayStart: string;
  intervalSeconds: number;
  intervalCount: number;
  values: (string | null)[];
  qualities: string[][];
  audit: { by: string; kind: string; reason: string | null; createdAt: string };
}

const readings = (query: string) => app.inject({ url: `/api/usage-points/${USAGE_POINT}/readings?readingType=${KWH_15}&${query}`, headers: bearer(TOKENS.reader) });

describe('GET /api/usage-points/:mRID/readings', () => {
  it('needs a token with the reader role', async () => {
    const url = `/api/usage-points/${USAGE_POINT}/readings?readingType=${KWH_15}&start=2024-03-10&end=2024-03-11`;
    expect((await app.inject({ url })).statusCode).toBe(401);
    expect((await app.inject({ url, headers: bearer(TOKENS.metrics) })).statusCode).toBe(403);
  });

  it('returns the current version of a 23-hour local day with values, qualities and audit', async () => {
    const response = await readings('start=2024-03-10&end=2024-03-11');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ timeZone: string; start: string; end: string; days: DayAnswer[] }>();
    // Local dates are read in the usage point's zone: midnight CST to midnight CDT.
    expect(body).toMatchObject({ timeZone: 'America/Chicago', start: DST_DAY_START, end: '2024-03-11T05:00:00.000Z' });
    expect(body.days).toHaveLength(1);
    const [day] = body.days;
    expect(day).toMatchObject({ localDate: '2024-03-10', version: 2, isCurrent: true, dayStart: DST_DAY_START, intervalSeconds: 900, intervalCount: 92 });
    expect(day?.values.slice(0, 3)).toEqual(['0.40', '0.26', '0.27']);
    expect(day?.values[5]).toBeNull();
    expect(day?.qualities[5]).toEqual(['2.5.259']);
    expect(day?.audit).toMatchObject({ by: 'cmep:feedA', kind: 'import', reason: 'day1-resent.cmep' });
    expect(Date.parse(day?.audit.createdAt ?? '')).not.toBeNaN();
  });

  it('returns every version with versions=all, and days overlapping an instant period whole', async () => {
    const body = (await readings('start=2024-03-10T12:00:00Z&end=2024-03-10T13:00:00Z&versions=all')).json<{ days: DayAnswer[] }>();
    expect(body.days.map((day) => [day.version, day.isCurrent, day.audit.reason, day.values[0]])).toEqual([
      [1, false, 'day1.cmep', '0.25'],
      [2, true, 'day1-resent.cmep', '0.40'],
    ]);
    expect(body.days[0]?.values).toHaveLength(92);
  });

  it('returns no days for a period without data', async () => {
    const body = (await readings('start=2024-03-12&end=2024-03-13')).json<{ days: DayAnswer[] }>();
    expect(body.days).toEqual([]);
  });

  it('answers 404 problem+json for an unknown usage point', async () => {
    const response = await app.inject({ url: `/api/usage-points/0190a0e1-0000-7000-8000-0000000000ff/readings?readingType=${KWH_15}&start=2024-03-10&end=2024-03-11`, headers: bearer(TOKENS.reader) });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, detail: expect.stringContaining('0190a0e1-0000-7000-8000-0000000000ff') });
  });

  it('answers 400 for a reversed, empty, too long or invalid period, and a malformed query', async () => {
    const reversed = await readings('start=2024-03-11&end=2024-03-10');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.headers['content-type']).toContain('application/problem+json');
    expect(reversed.json()).toMatchObject({ detail: expect.stringContaining('must be after start') });
    expect((await readings('start=2024-03-10&end=2024-03-10')).statusCode).toBe(400);
    const tooLong = await readings('start=2023-01-01&end=2024-03-10');
    expect(tooLong.json()).toMatchObject({ status: 400, detail: expect.stringContaining('400 days') });
    expect((await readings('start=2023-02-30&end=2024-03-10')).statusCode).toBe(400);
    expect((await readings('start=yesterday&end=2024-03-10')).statusCode).toBe(400);
    expect((await readings('start=2024-03-10&end=2024-03-11&versions=some')).statusCode).toBe(400);
    expect((await app.inject({ url: `/api/usage-points/${USAGE_POINT}/readings?start=2024-03-10&end=2024-03-11`, headers: bearer(TOKENS.reader) })).statusCode).toBe(400);
    expect((await app.inject({ url: `/api/usage-points/not-a-uuid/readings?readingType=${KWH_15}&start=2024-03-10&end=2024-03-11`, headers: bearer(TOKENS.reader) })).statusCode).toBe(400);
  });
});

describe('GET /api/usage-points/:mRID/register-reads', () => {
  it('returns the reads of the period with their meter and audit, filtered by reading type', async () => {
    const response = await app.inject({ url: `/api/usage-points/${USAGE_POINT}/register-reads?start=2024-03-10&end=2024-03-11`, headers: bearer(TOKENS.reader) });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ reads: Array<{ meter: string; timeStamp: string; value: string | null; version: number; audit: { by: string } }> }>();
    // The end is exclusive: the read at the next local midnight belongs to the next day.
    expect(body.reads.map((read) => [read.timeStamp, read.value, read.meter, read.version, read.audit.by])).toEqual([[DST_DAY_START, '1000', METER, 1, 'cmep:feedA']]);
    const both = (await app.inject({ url: `/api/usage-points/${USAGE_POINT}/register-reads?readingType=${CF_REG}&start=2024-03-10&end=2024-03-12`, headers: bearer(TOKENS.reader) })).json<{ reads: unknown[] }>();
    expect(both.reads).toHaveLength(2);
    const otherType = (await app.inject({ url: `/api/usage-points/${USAGE_POINT}/register-reads?readingType=${KWH_15}&start=2024-03-10&end=2024-03-12`, headers: bearer(TOKENS.reader) })).json<{ reads: unknown[] }>();
    expect(otherType.reads).toEqual([]);
  });

  it('answers 404 for an unknown usage point and 400 for a bad period', async () => {
    expect((await app.inject({ url: '/api/usage-points/0190a0e1-0000-7000-8000-0000000000ff/register-reads?start=2024-03-10&end=2024-03-11', headers: bearer(TOKENS.reader) })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/usage-points/${USAGE_POINT}/register-reads?start=2024-03-11&end=2024-03-10`, headers: bearer(TOKENS.reader) })).statusCode).toBe(400);
  });
});
