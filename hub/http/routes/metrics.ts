/** Prometheus scrape endpoint; role `metrics` unless `http.metricsPublic` opens it. */
import type { FastifyInstance } from 'fastify';
import type { HubMetrics } from '../../runtime/metrics.js';
import { problemResponses } from '../schemas.js';

export function registerMetricsRoute(app: FastifyInstance, deps: { metrics: HubMetrics; metricsPublic: boolean }): void {
  app.get(
    '/metrics',
    {
      ...(deps.metricsPublic ? {} : { preHandler: app.requireRole('metrics') }),
      schema: {
        summary: 'Prometheus metrics in the text exposition format.',
        tags: ['probes'],
        ...(deps.metricsPublic ? {} : { security: [{ bearerAuth: [] }] }),
        produces: ['text/plain'],
        response: { 200: { type: 'string', description: 'Prometheus text format 0.0.4.' }, ...(deps.metricsPublic ? {} : problemResponses) },
      },
    },
    async (_request, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(text);
    },
  );
}
