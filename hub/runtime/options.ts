/** Translates the hub configuration into the options of the bus and database factories. */
import { join, resolve } from 'node:path';
import type { BusOptions } from '../bus/create.js';
import { ConfigError } from '../../canonical/errors.js';
import type { Config } from '../config/schema.js';
import type { Database } from '../db/database.js';
import type { CoreSubscribeOptions } from './cores.js';
import { IN_MEMORY_DATA_DIR } from './admin-token.js';

export function busOptionsFrom(config: Config): BusOptions {
  const retry = { maxRetries: config.bus.retry.maxRetries, retryDelayMs: config.bus.retry.delayMs };
  if (config.bus.transport === 'memory') return { transport: 'memory', retry, freezeEvents: config.bus.freezeEvents, maxQueuedPerGroup: config.bus.maxQueuedPerGroup };
  const { url, exchange, prefetch, connectTimeoutMs } = config.bus.amqp;
  // loadConfig already enforces this; a hand-built Config might not.
  if (url === undefined) throw new ConfigError('bus.amqp.url', 'an amqp:// URL when bus.transport is amqp (or set AMQP_URL)');
  return { transport: 'amqp', url, exchange, prefetch, connectTimeoutMs, retry };
}

/**
 * How the hub subscribes the cores' consumers. PostgreSQL commits one batch while the next is
 * prepared; PGlite runs one transaction at a time, so a second batch would only wait.
 */
export function coreSubscribeOptions(config: Config, database: Database['kind']): CoreSubscribeOptions {
  return {
    concurrency: config.bus.amqp.prefetch,
    maxRetries: config.bus.retry.maxRetries,
    retryDelayMs: config.bus.retry.delayMs,
    parallelBatches: database === 'postgres' ? 2 : 1,
  };
}

/** PGlite lives in `<dataDir>/pglite`, beside admin.token, not mixed into PostgreSQL's own files. */
export function databaseOptionsFrom(config: Config, cwd: string): { url?: string; dataDir: string } {
  const { url, dataDir } = config.database;
  const pgliteDir = dataDir === IN_MEMORY_DATA_DIR ? IN_MEMORY_DATA_DIR : resolve(cwd, join(dataDir, 'pglite'));
  return url === undefined ? { dataDir: pgliteDir } : { url, dataDir: pgliteDir };
}
