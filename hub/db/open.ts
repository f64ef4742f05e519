/** Chooses the driver: PostgreSQL when a URL is configured (DATABASE_URL), embedded PGlite otherwise. */
import type { Logger } from 'pino';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export async function openDatabase(options: { url?: string; dataDir: string }, log: Logger): Promise<Database> {
  if (options.url !== undefined && options.url !== '') {
    return openPostgres({ url: options.url }, log);
  }
  return openPglite({ dataDir: options.dataDir }, log);
}
