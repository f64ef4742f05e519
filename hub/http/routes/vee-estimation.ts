/**
 * POST /api/vee/estimation-runs: runs the estimation sweep now, over every due day (operator),
 * instead of waiting for the hub's timer: the intervals that were too recent for the estimation
 * policy when their day was imported, or imported before estimation was configured. Answers with
 * the days examined and those estimated (the first ESTIMATION_RUN_LIST_MAX of them).
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { ESTIMATION_RUN_LIST_MAX, runEstimationSweep } from '../../runtime/estimation-sweep.js';
import type { HubMetrics } from '../../runtime/metrics.js';
import { problemResponses } from '../schemas.js';

const estimatedDaySchema = {
  type: 'object',
  properties: {
    usagePoint: { type: 'string', description: 'The usage point\'s mRID.' },
    readingType: { type: 'string' },
    localDate: { type: 'string', description: 'The day in the usage point\'s time zone, YYYY-MM-DD.' },
    version: { type: 'integer', description: 'The estimate version written.' },
    reason: { type: 'string', description: 'What each method filled, and what none could (`not estimated: …`).' },
  },
  required: ['usagePoint', 'readingType', 'localDate', 'version', 'reason'],
} as const;

export function registerVeeEstimationRoutes(app: FastifyInstance, deps: { db: Database; metrics: HubMetrics }): void {
  app.post(
    '/api/vee/estimation-runs',
    {
      preHandler: app.requireRole('operator'),
      schema: {
        summary: 'Estimate the due intervals now, over every day that waits for estimation.',
        description:
          'The sweep the hub runs every mdm.estimation.sweepMinutes, run at once: each page of days in its own transaction, ' +
          'each estimated day a new version. A day no method could fill is examined but not listed; its VEE item says why.',
        tags: ['vee'],
        security: [{ bearerAuth: [] }],
        response: {
          200: {
            type: 'object',
            properties: {
              examined: { type: 'integer', description: 'Days whose VEE items listed intervals to estimate.' },
              estimatedDays: { type: 'integer', description: 'Days estimated, listed or not.' },
              estimated: { type: 'array', maxItems: ESTIMATION_RUN_LIST_MAX, items: estimatedDaySchema },
              truncated: { type: 'boolean', description: `True when more than ${ESTIMATION_RUN_LIST_MAX} days were estimated: only the first are listed.` },
            },
            required: ['examined', 'estimatedDays', 'estimated', 'truncated'],
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const report = await runEstimationSweep(deps.db, {
        now: new Date(),
        onPage: (days) => {
          if (days > 0) deps.metrics.estimationSweepDays.inc({ trigger: 'request' }, days);
        },
      });
      request.log.info({ examined: report.examined, estimated: report.estimatedDays, by: request.principal?.name }, 'estimation run');
      return report;
    },
  );
}
