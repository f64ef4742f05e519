/**
 * Builds the hub's HTTP server: probes, metrics, docs and the operations API, with bearer
 * authentication and problem+json errors. Returns the fastify instance unstarted, so tests use
 * `inject` and the runtime decides where to listen.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Bus } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import type { TokenCredential } from '../config/credentials.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { HubMetrics } from '../runtime/metrics.js';
import { registerMultiSpeakRoutes } from '../multispeak/routes.js';
import type { MultiSpeakServer } from '../multispeak/server.js';
import { registerAuth } from './auth.js';
import { registerDocs } from './docs.js';
import { problemErrorHandler, problemSchema, sendProblem } from './problem.js';
import { registerAggregationRoutes } from './routes/aggregations.js';
import { registerBillingDeterminantsRoute } from './routes/billing-determinants.js';
import { registerDlqRoutes } from './routes/dlq.js';
import { registerEventPublishRoute } from './routes/events-publish.js';
import { registerEventStreamRoute } from './routes/events-stream.js';
import { registerExportRoutes } from './routes/exports.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerQuarantineRoutes } from './routes/quarantine.js';
import { registerUsagePointReadingRoutes } from './routes/usage-point-readings.js';
import { registerVeeEstimationRoutes } from './routes/vee-estimation.js';
import { registerVeeExceptionRoutes } from './routes/vee-exceptions.js';
import { cloudEventSchema, deadLetterSchema, intervalDaySchema, quarantineEntrySchema, registerReadSchema, veeExceptionSchema } from './schemas.js';

export interface HttpServerDeps {
  /** The MultiSpeak endpoints, when enabled. */
  readonly multispeak?: MultiSpeakServer;
  readonly http: Config['http'];
  readonly bus: Bus;
  readonly db: Database;
  readonly log: Logger;
  readonly tokens: readonly TokenCredential[];
  readonly metrics: HubMetrics;
  readonly version?: string;
}

export async function buildHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  // Typed as fastify's base logger so route modules take a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = deps.log;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    bodyLimit: deps.http.bodyLimitBytes,
    // Probes and scrapes every few seconds would drown the log; requests are logged at debug.
    logController: new LogController({ disableRequestLogging: true }),
    // Keep-alive sockets would otherwise hold close() until they time out.
    forceCloseConnections: 'idle',
  });

  app.addSchema(problemSchema);
  app.addSchema(cloudEventSchema);
  app.addSchema(deadLetterSchema);
  app.addSchema(quarantineEntrySchema);
  app.addSchema(intervalDaySchema);
  app.addSchema(registerReadSchema);
  app.addSchema(veeExceptionSchema);
  // CloudEvents HTTP binding, structured mode: the body is the JSON envelope.
  app.addContentTypeParser('application/cloudevents+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      const parsed: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
      done(null, parsed);
    } catch (error) {
      done(Object.assign(error instanceof Error ? error : new Error(String(error)), { statusCode: 400 }), undefined);
    }
  });

  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, `No route ${request.method} ${request.url}.`));
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  registerAuth(app, deps.tokens);
  await registerDocs(app, deps.version ?? '0.0.0');
  registerHealthRoutes(app, deps);
  registerMetricsRoute(app, { metrics: deps.metrics, metricsPublic: deps.http.metricsPublic });
  registerDlqRoutes(app, deps);
  registerEventPublishRoute(app, deps);
  registerEventStreamRoute(app, deps);
  registerQuarantineRoutes(app, deps);
  registerUsagePointReadingRoutes(app, deps);
  registerVeeExceptionRoutes(app, deps);
  registerVeeEstimationRoutes(app, deps);
  registerAggregationRoutes(app, deps);
  registerBillingDeterminantsRoute(app, deps);
  registerExportRoutes(app, deps);
  if (deps.multispeak !== undefined) await registerMultiSpeakRoutes(app, deps.multispeak);
  return app;
}
