/**
 * GET /api/exports/cmep on PostgreSQL and PGlite over the small store of
 * test/testing/export-fixtures.ts: a reader token is required; the body is the golden MEPMD01
 * file, streamed (chunked) as an attachment; bad parameters and what the store refuses answer
 * 400 problem+json naming the parameter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedExportStore } from '../../../test/testing/export-fixtures.js';
import { describeEachDatabase } from '../../db/testing/databases.js';
import { bearer, buildTestServerOn, TOKENS } from '../testing/server-fixture.js';

const golden = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'export', '__fixtures__', name), 'utf8');
/** Field 6 is the time of the export: the golden files were written at 2024-01-04 07:30Z. */
const atGoldenTime = (text: string) => text.replace(/^(MEPMD01(?:,[^,]*){5}),\d{12},/gm, '$1,202401040730,');

describeEachDatabase(
  'GET /api/exports/cmep',
  (target) => {
    let app: FastifyInstance;
    const get = (query: string, token: string = TOKENS.reader) => app.inject({ url: `/api/exports/cmep?${query}`, headers: bearer(token) });

    beforeAll(async () => {
      await seedExportStore(target.db());
      app = await buildTestServerOn(target.db());
    });
    afterAll(async () => {
      await app.close();
    });

    it('needs a token with the reader role, before looking at the query', async () => {
      expect((await app.inject({ url: '/api/exports/cmep?from=2024-01-02&to=2024-01-03' })).statusCode).toBe(401);
      expect((await get('from=2024-01-02&to=2024-01-03', TOKENS.metrics)).statusCode).toBe(403);
      expect((await app.inject({ url: '/api/exports/cmep?interval=7' })).statusCode).toBe(401);
    });

    it('streams the MEPMD01 file as a CSV attachment: 15-minute kWh rolled up to hours and multiplied', async () => {
      const response = await get('from=2024-01-02&to=2024-01-03&units=KWH&interval=60');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=us-ascii');
      expect(response.headers['content-disposition']).toBe('attachment; filename="mepmd01-2024-01-02-2024-01-03.csv"');
      expect(response.headers['transfer-encoding']).toBe('chunked');
      expect(response.headers['content-length']).toBeUndefined();
      expect(response.body).toMatch(/^MEPMD01,19970819,BUSBAR,,,,\d{12},MTR-A,/);
      expect(atGoldenTime(response.body)).toBe(golden('kwh-hourly-multiplied.cmep'));
    });

    it('is described in the OpenAPI document as a text/csv download for a bearer token', async () => {
      const document = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, { get?: { security?: unknown; responses: Record<string, { content?: Record<string, unknown> }> } }> }>();
      const route = document.paths['/api/exports/cmep']?.get;
      expect(route?.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(route?.responses['200']?.content ?? {})).toEqual(['text/csv']);
    });

    it('takes usage points by name, raw values and the quality filter', async () => {
      expect(atGoldenTime((await get('from=2024-01-02&to=2024-01-03&usagePoint=UP-A&values=raw')).body)).toBe(golden('up-a-raw.cmep'));
      expect(atGoldenTime((await get('from=2024-01-02&to=2024-01-03&usagePoint=UP-A&units=kwh&quality=estimated')).body)).toBe(golden('up-a-estimated.cmep'));
      const empty = await get('from=2024-01-02&to=2024-01-03&rateClass=RES&units=KVARH');
      expect([empty.statusCode, empty.body]).toEqual([200, '']);
    });

    it('answers 400 problem+json naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['to=2024-01-03', 'from: required, a local date YYYY-MM-DD, the first day exported.'],
        ['from=20240102&to=2024-01-03', 'from: must be a local date YYYY-MM-DD, the first day exported, got "20240102".'],
        ['from=2024-01-02&to=2024-01-03&interval=30', 'interval: must be minutes, one of 5, 15, 60, got "30".'],
        ['from=2024-01-02&to=2024-01-03&quality=good', 'quality: must be actual, estimated, both, got "good".'],
        ['from=2024-01-02&to=2024-01-03&meter=M1', 'meter: not a parameter of this export; the parameters are from, to, usagePoint, rateClass, units, quality, values, interval.'],
        ['from=2024-02-30&to=2024-03-03', 'from: must be a local date YYYY-MM-DD, got "2024-02-30".'],
        ['from=2024-01-03&to=2024-01-02', 'to: must be after from (it is the first local day not exported), got 2024-01-02 for from 2024-01-03.'],
        ['from=2024-01-01&to=2025-01-03', 'to: must be at most 366 days after from, got 368 days; export in parts.'],
        ['from=2024-01-02&to=2024-01-03&usagePoint=UP-A&rateClass=RES', 'rateClass: cannot be combined with usage points: give one or the other (neither: every usage point).'],
        ['from=2024-01-02&to=2024-01-03&units=KWH,WATTS', 'units: "WATTS" is not a CMEP unit the export knows; use KWH, KVARH, GKWH, GKVARH, KW, KVAR, KVA, GKW, GKVAR, GKVA, VOLTS, THERM, CF, CCF, MCF.'],
        ['from=2024-01-02&to=2024-01-03&usagePoint=0190a0e1-0000-7000-8000-00000000dead', 'usagePoint: no usage point has mRID 0190a0e1-0000-7000-8000-00000000dead.'],
        ['from=2024-01-02&to=2024-01-03&rateClass=IND', 'rateClass: no usage point has rate class "IND".'],
        ['from=2024-01-02&to=2024-01-03&units=KWH&interval=5', 'interval: KWH (ReadingType 0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0) is stored in 15-minute intervals for these usage points and days: 5-minute intervals would be finer than stored (roll-up only sums intervals into coarser ones).'],
      ];
      for (const [query, detail] of cases) {
        const response = await get(query);
        expect(response.statusCode, query).toBe(400);
        expect(response.headers['content-type'], query).toContain('application/problem+json');
        expect(response.json<{ detail: string }>().detail, query).toBe(detail);
      }
    });
  },
  { migrated: true },
);
