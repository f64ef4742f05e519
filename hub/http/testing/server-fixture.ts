/** Builds the HTTP server over fake dependencies with three known tokens, for route tests. */
import type { FastifyInstance } from 'fastify';
import type { Bus } from '../../bus/bus.js';
import type { Database } from '../../db/database.js';
import { digestToken } from '../../config/credentials.js';
import { createLogger } from '../../log.js';
import { createMetrics } from '../../runtime/metrics.js';
import { buildHttpServer } from '../server.js';
import { FakeBus, FakeDatabase } from './fakes.js';

export const TOKENS = {
  admin: 'admin-token-0123456789',
  operator: 'operator-token-0123456789',
  reader: 'reader-token-0123456789',
  metrics: 'metrics-token-0123456789',
} as const;

export interface ServerFixture {
  app: FastifyInstance;
  bus: FakeBus;
  db: FakeDatabase;
}

export interface TestServerOptions {
  bodyLimitBytes?: number;
  metricsPublic?: boolean;
}

export async function buildTestServer(options: TestServerOptions = {}): Promise<ServerFixture> {
  const bus = new FakeBus();
  const db = new FakeDatabase();
  return { app: await buildTestServerOn(db, bus, options), bus, db };
}

/** The same server over a real database (routes that read tables), with a fake bus. */
export async function buildTestServerOn(db: Database, bus: Bus = new FakeBus(), options: TestServerOptions = {}): Promise<FastifyInstance> {
  const app = await buildHttpServer({
    http: { host: '127.0.0.1', port: 8080, bodyLimitBytes: options.bodyLimitBytes ?? 1_048_576, metricsPublic: options.metricsPublic ?? false },
    bus,
    db,
    log: createLogger('silent'),
    tokens: Object.entries(TOKENS).map(([role, token]) => ({
      name: `${role}-user`,
      roles: role === 'admin' ? ['admin'] : role === 'operator' ? ['operator'] : role === 'reader' ? ['reader'] : ['metrics'],
      digest: digestToken(token),
    })),
    metrics: createMetrics(),
  });
  await app.ready();
  return app;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
