/**
 * POST /api/vee/estimation-runs on both drivers: an operator's token runs the sweep over every due
 * day and gets the days examined and estimated; a second run finds nothing left; the days are
 * counted in /metrics as estimated on request.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/databases.js';
import { PENDING_READING_TYPE, saveSweepVeeConfig, seedPendingDay, versionsOf } from '../../runtime/testing/pending-estimation.js';
import { bearer, buildTestServerOn, TOKENS } from '../testing/server-fixture.js';

const UP = '0190a0e1-0000-7000-8000-0000000e9001';
const METER = '0190a0e1-0000-7000-8000-0000000f9001';
const URL = '/api/vee/estimation-runs';

describeEachDatabase(
  'POST /api/vee/estimation-runs',
  (target) => {
    let app: FastifyInstance;

    beforeAll(async () => {
      app = await buildTestServerOn(target.db());
      await saveSweepVeeConfig(target.db());
    });
    afterAll(async () => {
      await app.close();
    });

    it('needs a token with the operator role', async () => {
      expect((await app.inject({ method: 'POST', url: URL })).statusCode).toBe(401);
      for (const token of [TOKENS.reader, TOKENS.metrics]) {
        const forbidden = await app.inject({ method: 'POST', url: URL, headers: bearer(token) });
        expect(forbidden.statusCode).toBe(403);
        expect(forbidden.headers['content-type']).toContain('application/problem+json');
      }
    });

    it('estimates the due days and lists them; a second run finds none', async () => {
      // Imported an hour after it ended, long ago: the real clock finds the gap due.
      const day = await seedPendingDay(target.db(), { usagePoint: UP, meter: METER, meterName: 'SWEEP-R1', localDate: '2024-06-12' });
      expect((await versionsOf(target.db(), day)).map((version) => version.version)).toEqual([1]);

      const run = await app.inject({ method: 'POST', url: URL, headers: bearer(TOKENS.operator) });
      expect(run.statusCode).toBe(200);
      expect(run.json()).toEqual({
        examined: 1,
        estimatedDays: 1,
        estimated: [{ usagePoint: UP, readingType: PENDING_READING_TYPE, localDate: '2024-06-12', version: 2, reason: 'linear: 2 interval(s) [20,21]' }],
        truncated: false,
      });
      expect((await versionsOf(target.db(), day)).map((version) => [version.version, version.changeKind, version.isCurrent])).toEqual([
        [1, 'import', false],
        [2, 'estimate', true],
      ]);

      const again = await app.inject({ method: 'POST', url: URL, headers: bearer(TOKENS.admin) });
      expect(again.json()).toEqual({ examined: 0, estimatedDays: 0, estimated: [], truncated: false });

      const metrics = await app.inject({ url: '/metrics', headers: bearer(TOKENS.metrics) });
      expect(metrics.body).toContain('busbar_estimation_sweep_days_total{trigger="request"} 1');
    });
  },
  { migrated: true },
);
