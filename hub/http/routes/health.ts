/** Liveness and readiness probes (Kubernetes-style): no authentication, no secrets in answers. */
import type { FastifyInstance } from 'fastify';
import type { Bus } from '../../bus/bus.js';
import type { Database } from '../../db/database.js';
import { redactText } from '../../config/redact.js';

/** A probe that hangs must not hang the readiness check with it. */
const PING_TIMEOUT_MS = 3000;

async function check(name: string, ping: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} ping timed out after ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return `failed: ${redactText(error instanceof Error ? error.message : String(error))}`;
  } finally {
    clearTimeout(timer);
  }
}

const checksSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    checks: { type: 'object', properties: { bus: { type: 'string' }, database: { type: 'string' } } },
    failed: { type: 'array', items: { type: 'string' } },
  },
} as const;

export function registerHealthRoutes(app: FastifyInstance, deps: { bus: Bus; db: Database }): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness: the process is up and serving HTTP.',
        tags: ['probes'],
        response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the bus and the database answer a ping.',
        description: '503 names the dependency that failed.',
        tags: ['probes'],
        response: { 200: checksSchema, 503: checksSchema },
      },
    },
    async (_request, reply) => {
      const [bus, database] = await Promise.all([check('bus', () => deps.bus.ping()), check('database', () => deps.db.ping())]);
      const failed = Object.entries({ bus, database })
        .filter(([, result]) => result !== 'ok')
        .map(([name]) => name);
      return reply.code(failed.length === 0 ? 200 : 503).send({ status: failed.length === 0 ? 'ready' : 'unavailable', checks: { bus, database }, failed });
    },
  );
}
