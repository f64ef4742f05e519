/**
 * GET /api/aggregations/consumption over an in-memory PGlite with the real migrations, seeded
 * through the meter data core: two Chicago usage points on the spring-forward day (92
 * quarter-hours), one on a transformer of a feeder, one on nothing, with one missing and one
 * estimated interval.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertUsagePoint } from '../../../mdm/master-data.js';
import { linkTransformer, upsertFeeder, upsertTransformer } from '../../../mdm/network.js';
import { sliceForUsagePoint } from '../../../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../../../mdm/store/interval-store.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { IN_MEMORY, openPglite } from '../../db/pglite.js';
import { bearer, buildTestServerOn, TOKENS } from '../testing/server-fixture.js';

const silent = pino({ level: 'silent' });
const LINKED = '0190a0e1-0000-7000-8000-0000000001a1';
const LOOSE = '0190a0e1-0000-7000-8000-0000000001a2';
const FEEDER = '0190a0e1-0000-7000-8000-0000000001f1';
const TRANSFORMER = '0190a0e1-0000-7000-8000-0000000001b1';
const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const DAY_START = '2024-03-10T06:00:00Z';
const DAY_END = '2024-03-11T05:00:00Z';
let db: Database;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openPglite({ dataDir: IN_MEMORY }, silent);
  await migrate(db, silent);
  app = await buildTestServerOn(db);
  await db.transaction(async (tx) => {
    for (const [mRID, rateClass] of [[LINKED, 'RES'], [LOOSE, 'COM']] as const) {
      await upsertUsagePoint(tx, { mRID, rateClass, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
    }
    await upsertFeeder(tx, { mRID: FEEDER, name: 'North 12kV' });
    await upsertTransformer(tx, { mRID: TRANSFORMER, name: 'TX-001', feeder: { mRID: FEEDER } });
    await linkTransformer(tx, { usagePoint: { mRID: LINKED }, transformer: { mRID: TRANSFORMER }, validFrom: '2020-01-01T00:00:00Z' });
    const values: (string | null)[] = new Array<string | null>(92).fill('0.25');
    const qualities: string[][] = values.map(() => []);
    values[3] = null;
    qualities[3] = ['2.5.259'];
    qualities[4] = ['3.8.1'];
    await writeIntervalSlices(tx, sliceForUsagePoint({ start: DAY_START, intervalSeconds: 900, values, qualities }, { usagePoint: LINKED, readingType: KWH_15, timeZone: 'America/Chicago' }), { by: 'test', kind: 'import' });
    await writeIntervalSlices(tx, sliceForUsagePoint({ start: DAY_START, intervalSeconds: 900, values: new Array<string>(92).fill('1.5'), qualities: Array.from({ length: 92 }, () => []) }, { usagePoint: LOOSE, readingType: KWH_15, timeZone: 'America/Chicago' }), { by: 'test', kind: 'import' });
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const consumption = (query: string, token: string = TOKENS.reader) => app.inject({ url: `/api/aggregations/consumption?${query}`, headers: bearer(token) });
const valid = (groupBy: string) => `groupBy=${groupBy}&readingType=${KWH_15}&from=${DAY_START}&to=${DAY_END}`;

interface GroupAnswer {
  key: string | null;
  name: string | null;
  total: string;
  unit: string | null;
  usagePoints: number;
  intervals: number;
  estimatedIntervals: number;
  missingIntervals: number;
}

describe('GET /api/aggregations/consumption', () => {
  it('needs a token with the reader role', async () => {
    expect((await app.inject({ url: `/api/aggregations/consumption?${valid('feeder')}` })).statusCode).toBe(401);
    expect((await consumption(valid('feeder'), TOKENS.metrics)).statusCode).toBe(403);
    // Authentication comes before the query's wording: no hint to a caller without a token.
    expect((await app.inject({ url: '/api/aggregations/consumption?groupBy=meter' })).statusCode).toBe(401);
  });

  it('sums by feeder, with the unlinked usage point under the null key', async () => {
    const response = await consumption(valid('feeder'));
    expect(response.statusCode).toBe(200);
    const body = response.json<{ groupBy: string; readingType: string; unit: string; from: string; to: string; groups: GroupAnswer[] }>();
    expect(body).toMatchObject({ groupBy: 'feeder', readingType: KWH_15, unit: 'kWh', from: '2024-03-10T06:00:00.000Z', to: '2024-03-11T05:00:00.000Z' });
    expect(body.groups).toEqual([
      { key: FEEDER, name: 'North 12kV', total: '22.75', unit: 'kWh', usagePoints: 1, intervals: 92, estimatedIntervals: 1, missingIntervals: 1 },
      { key: null, name: null, total: '138.0', unit: 'kWh', usagePoints: 1, intervals: 92, estimatedIntervals: 0, missingIntervals: 0 },
    ]);
  });

  it('sums by transformer and by rate class, taking offsets as the same instants', async () => {
    const byTransformer = (await consumption(valid('transformer'))).json<{ groups: GroupAnswer[] }>();
    expect(byTransformer.groups.map((group) => [group.key, group.name, group.total])).toEqual([[TRANSFORMER, 'TX-001', '22.75'], [null, null, '138.0']]);
    // 00:00 CST to 00:00 CDT: the same 23 hours.
    const local = `groupBy=rateClass&readingType=${KWH_15}&from=${encodeURIComponent('2024-03-10T00:00:00-06:00')}&to=${encodeURIComponent('2024-03-11T00:00:00-05:00')}`;
    const byRateClass = (await consumption(local)).json<{ from: string; to: string; groups: GroupAnswer[] }>();
    expect(byRateClass).toMatchObject({ from: '2024-03-10T06:00:00.000Z', to: '2024-03-11T05:00:00.000Z' });
    expect(byRateClass.groups.map((group) => [group.key, group.name, group.total, group.intervals])).toEqual([['COM', null, '138.0', 92], ['RES', null, '22.75', 92]]);
  });

  it('answers 400 problem+json naming the parameter for a wrong groupBy, a missing or malformed parameter', async () => {
    const wrong = await consumption(`groupBy=meter&readingType=${KWH_15}&from=${DAY_START}&to=${DAY_END}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json()).toMatchObject({ status: 400, detail: 'groupBy must be one of rateClass, feeder, transformer, got "meter".' });
    const missing = await consumption(`groupBy=feeder&from=${DAY_START}&to=${DAY_END}`);
    expect(missing.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/^readingType is required: a ReadingType code of 18/) });
    const readingType = await consumption(`groupBy=feeder&readingType=0.0.2&from=${DAY_START}&to=${DAY_END}`);
    expect(readingType.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/^readingType must be a ReadingType code of 18 dot-separated integers.*, got "0\.0\.2"\.$/) });
  });

  it('answers 400 for bad instants, an empty or reversed period, a period over 366 days and a reading type that does not add up', async () => {
    const cases: Array<[string, RegExp]> = [
      [`groupBy=feeder&readingType=${KWH_15}&from=yesterday&to=${DAY_END}`, /^from must be an RFC 3339 date-time with an offset/],
      [`groupBy=feeder&readingType=${KWH_15}&from=2024-03-10&to=${DAY_END}`, /^from must be an RFC 3339 date-time with an offset/],
      [`groupBy=feeder&readingType=${KWH_15}&from=2024-02-30T00:00:00Z&to=${DAY_END}`, /^from "2024-02-30T00:00:00Z" is not an RFC 3339 date-time/],
      [`groupBy=feeder&readingType=${KWH_15}&from=${DAY_END}&to=${DAY_START}`, /^to 2024-03-10T06:00:00Z must be after from 2024-03-11T05:00:00Z\.$/],
      [`groupBy=feeder&readingType=${KWH_15}&from=${DAY_START}&to=${DAY_START}`, /must be after from/],
      [`groupBy=feeder&readingType=${KWH_15}&from=2023-01-01T00:00:00Z&to=2024-01-02T00:00:01Z`, /spans more than 366 days; ask for it in parts\.$/],
      ['groupBy=feeder&readingType=0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0&from=2024-03-10T06:00:00Z&to=2024-03-11T05:00:00Z', /is bulk quantity \(a register reading\), not an amount per interval/],
    ];
    for (const [query, detail] of cases) {
      const response = await consumption(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json<{ detail: string }>().detail, query).toMatch(detail);
    }
    // A leap year exactly is allowed.
    expect((await consumption(`groupBy=feeder&readingType=${KWH_15}&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z`)).statusCode).toBe(200);
  });
});
