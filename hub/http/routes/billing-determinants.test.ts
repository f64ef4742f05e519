/**
 * GET /api/usage-points/:id/billing-determinants on PostgreSQL and PGlite, over the crafted June
 * (mdm/billing/__fixtures__/june-2024.ts) seeded through the meter data core.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JUNE_END, JUNE_START, KWH_15 } from '../../../mdm/billing/__fixtures__/june-2024.js';
import { upsertUsagePoint } from '../../../mdm/master-data.js';
import { JUNE_USAGE_POINT, JUNE_USAGE_POINT_NAME, seedJune } from '../../../test/testing/billing-fixtures.js';
import { describeEachDatabase } from '../../db/testing/databases.js';
import { bearer, buildTestServerOn, TOKENS } from '../testing/server-fixture.js';

const UNPRICED = '0190a0e1-0000-7000-8000-0000000b0201';

interface Answer {
  usagePoint: { mRID: string; name: string | null };
  timeZone: string;
  rateClass: string | null;
  periodStart: string;
  periodEnd: string;
  complete: boolean;
  touCalendar?: string;
  profile: { id: string; rateClass?: string; effectiveFrom: string } | null;
  determinants: Array<{ name: string; quantity: { value: string; unit: string }; at?: string; season?: string; touPeriod?: string; actualIntervals: number; estimatedIntervals: number; missingIntervals: number }>;
  powerFactor?: { value: string; kwh: string; kvarh: string };
}

describeEachDatabase(
  'GET /api/usage-points/:id/billing-determinants',
  (target) => {
    let app: FastifyInstance;
    const get = (path: string, token: string = TOKENS.reader) => app.inject({ url: `/api/usage-points/${path}`, headers: bearer(token) });

    beforeAll(async () => {
      await target.db().transaction(async (tx) => {
        await seedJune(tx);
        await upsertUsagePoint(tx, { mRID: UNPRICED, commodity: 'electric', rateClass: 'E-UNPRICED', timeZone: 'America/Chicago', connectionState: 'connected' });
      });
      app = await buildTestServerOn(target.db());
    });
    afterAll(async () => {
      await app.close();
    });

    it('needs a token with the reader role', async () => {
      expect((await app.inject({ url: `/api/usage-points/${JUNE_USAGE_POINT}/billing-determinants?from=2024-06-01&to=2024-07-01` })).statusCode).toBe(401);
      expect((await get(`${JUNE_USAGE_POINT}/billing-determinants?from=2024-06-01&to=2024-07-01`, TOKENS.metrics)).statusCode).toBe(403);
    });

    it('answers the month\'s determinants for local-date bounds, with the profile and TOU calendar used', async () => {
      const response = await get(`${JUNE_USAGE_POINT}/billing-determinants?from=2024-06-01&to=2024-07-01`);
      expect(response.statusCode).toBe(200);
      const body = response.json<Answer>();
      expect(body).toMatchObject({
        usagePoint: { mRID: JUNE_USAGE_POINT, name: JUNE_USAGE_POINT_NAME },
        timeZone: 'America/Chicago',
        rateClass: 'E-LGS',
        periodStart: JUNE_START,
        periodEnd: JUNE_END,
        complete: false,
        touCalendar: 'summer-winter',
        profile: { rateClass: 'E-LGS', effectiveFrom: '2024-01-01' },
        powerFactor: { value: '0.8', kwh: '2911.5', kvarh: '2183.625' },
      });
      expect(body.determinants.map((determinant) => [determinant.name, determinant.quantity.value, determinant.at ?? null])).toEqual([
        ['kwh-total', '2911.5', null],
        ['kwh-summer-off-peak', '1743', null],
        ['kwh-summer-mid-peak', '768', null],
        ['kwh-summer-on-peak', '400.5', null],
        ['kw-max', '20', '2024-06-13T23:30:00.000Z'],
        ['kw-max-summer-off-peak', '9', '2024-06-15T06:15:00.000Z'],
        ['kw-max-summer-mid-peak', '12', '2024-06-14T00:00:00.000Z'],
        ['kw-max-summer-on-peak', '16.5', '2024-06-12T20:30:00.000Z'],
      ]);
      expect(body.determinants[2]).toMatchObject({ season: 'summer', touPeriod: 'mid-peak', actualIntervals: 750, estimatedIntervals: 10, missingIntervals: 0 });
    });

    it('finds the usage point by name, takes RFC 3339 bounds and named ReadingTypes', async () => {
      const query = `from=${encodeURIComponent('2024-06-12T15:00:00-05:00')}&to=${encodeURIComponent('2024-06-12T17:00:00-05:00')}&readingType=${KWH_15}`;
      const body = (await get(`${encodeURIComponent(JUNE_USAGE_POINT_NAME)}/billing-determinants?${query}`)).json<Answer>();
      // 15:00-17:00 local on the 12th: 1 + 1 + 4 + 4.5 + 4 + 4 + 1 + 1 kWh.
      expect([body.periodStart, body.periodEnd, body.complete]).toEqual(['2024-06-12T20:00:00.000Z', '2024-06-12T22:00:00.000Z', true]);
      expect(body.determinants.find((determinant) => determinant.name === 'kwh-total')?.quantity).toEqual({ value: '20.5', unit: 'kWh' });
    });

    it('answers 404 problem+json for an unknown usage point, and for one without a billing profile', async () => {
      const unknown = await get('nobody/billing-determinants?from=2024-06-01&to=2024-07-01');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      expect(unknown.json()).toMatchObject({ status: 404, detail: 'no usage point has name "nobody".' });
      const unpriced = await get(`${UNPRICED}/billing-determinants?from=2024-06-01&to=2024-07-01`);
      expect(unpriced.statusCode).toBe(404);
      expect(unpriced.json()).toMatchObject({
        type: 'urn:busbar:problem:no-billing-profile',
        detail: `usage point ${UNPRICED} (rate class E-UNPRICED) has no billing profile in force on 2024-06-01, and the request names no ReadingTypes: configure one, or name the ReadingTypes with readingType.`,
      });
      // Naming the ReadingTypes needs no profile.
      expect((await get(`${UNPRICED}/billing-determinants?from=2024-06-01&to=2024-07-01&readingType=${KWH_15}`)).json<Answer>()).toMatchObject({ profile: null, complete: false });
    });

    it('answers 400 naming the parameter for a missing, malformed, reversed or too long period and a malformed ReadingType', async () => {
      const detail = async (query: string) => {
        const response = await get(`${JUNE_USAGE_POINT}/billing-determinants?${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        return response.json<{ detail: string }>().detail;
      };
      expect(await detail('from=2024-06-01')).toBe('to is required: a local date YYYY-MM-DD or an RFC 3339 date-time with an offset, after from.');
      expect(await detail('from=June&to=2024-07-01')).toBe('from must be a local date YYYY-MM-DD (midnight in the usage point\'s zone) or an RFC 3339 date-time with an offset.');
      expect(await detail('from=2024-06-31&to=2024-07-01')).toBe('from: from "2024-06-31" is not a date.');
      expect(await detail('from=2024-07-01&to=2024-06-01')).toBe('to: to 2024-06-01 must be after from 2024-07-01.');
      expect(await detail('from=2022-01-01&to=2024-01-01')).toBe('to: the period 2022-01-01 to 2024-01-01 spans more than 400 days.');
      expect(await detail('from=2024-06-01&to=2024-07-01&readingType=kwh')).toBe('readingType must be a ReadingType code of 18 dot-separated integers, e.g. 0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0.');
    });
  },
  { migrated: true },
);
