/**
 * Embedded PostgreSQL (PGlite) in a data folder, or in memory for tests. PGlite is one
 * connection: its own `transaction()` runs the work exclusively, so other callers wait instead
 * of slipping their statements into someone else's transaction.
 */
import { execFile } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PGlite, types, type ParserOptions, type Results } from '@electric-sql/pglite';
import type { Logger } from 'pino';
import { ConfigError, TransientError } from '../../canonical/errors.js';
import type { Database, QueryResult, Transaction } from './database.js';
import { SESSION_TIME_ZONE, TEXT_ARRAYS, TEXT_AS_IS } from './row-shape.js';
import { TransactionGuard } from './transaction-guard.js';

export const DEFAULT_PGLITE_DIR = './data/pglite';
export const IN_MEMORY = 'memory://';

export interface PgliteOptions {
  /** A folder (created if missing), or `memory://`. Default `./data/pglite`. */
  dataDir?: string;
}

/** Parsers implementing row-shape.ts (PGlite's defaults give int8 as number or bigint). */
function rowShapeParsers(): ParserOptions {
  const parsers: ParserOptions = {};
  const asIs = (value: string): string => value;
  for (const oid of TEXT_AS_IS) parsers[oid] = asIs;
  for (const oid of TEXT_ARRAYS) parsers[oid] = (value: string): unknown => types.arrayParser(value, asIs, oid);
  return parsers;
}

/**
 * Creates a new data folder in a short-lived child process. PGlite's initdb keeps about 700 MB of
 * memory in the process that ran it for the life of that process (measured on PGlite 0.5: 824 MB
 * RSS after creating a folder, 327 MB after opening an existing one), so the hub lets a child pay
 * for it once and then opens the folder itself.
 */
async function initDataDir(dataDir: string): Promise<void> {
  try {
    await access(path.join(dataDir, 'PG_VERSION'));
    return;
  } catch {
    // No cluster yet: create it below.
  }
  const pgliteModule = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pgliteModule)}); const db = await PGlite.create(${JSON.stringify(dataDir)}); await db.close();`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], { timeout: 120_000 });
}

function toResult<Row>(result: Results<Row>): QueryResult<Row> {
  // rowCount comes from the command tag as on pg (rows returned by a SELECT too); undefined for DDL.
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? 0 };
}

/** PGlite's shared buffers (see openPglite). */
export const PGLITE_SHARED_BUFFERS = '32MB';

export async function openPglite(options: PgliteOptions, log: Logger): Promise<Database> {
  const dataDir = options.dataDir ?? DEFAULT_PGLITE_DIR;
  const inMemory = dataDir === IN_MEMORY;
  const where = inMemory ? 'PGlite in memory' : `PGlite ${path.resolve(dataDir)}`;
  let pglite: PGlite;
  try {
    if (!inMemory) {
      await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
      await initDataDir(path.resolve(dataDir));
    }
    // PGlite runs inside the hub's process, so its shared buffers are the hub's own memory once
    // touched: 128 MB (PostgreSQL's default) pushed a large import past 500 MB RSS. With a data
    // folder, reads beyond the buffers come from the operating system's file cache.
    pglite = await PGlite.create(inMemory ? IN_MEMORY : path.resolve(dataDir), { parsers: rowShapeParsers(), postgresqlconf: [`shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
    await pglite.exec(`SET TimeZone = '${SESSION_TIME_ZONE}'`);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError('dataDir', `a PGlite data folder that can be opened (${reason})`, dataDir, { cause });
  }
  const dbLog = log.child({ database: where });
  dbLog.debug('PGlite opened');
  const guard = new TransactionGuard(where);

  const database: Database = {
    kind: 'pglite',

    async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      guard.assertOutside('query');
      return toResult(await pglite.query<Row>(sql, params === undefined ? undefined : [...params]));
    },

    async exec(sql: string): Promise<void> {
      guard.assertOutside('exec');
      await pglite.exec(sql);
    },

    async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      guard.assertOutside('transaction');
      return pglite.transaction(async (inner) => {
        const tx: Transaction = {
          query: async <Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
            toResult(await inner.query<Row>(sql, params === undefined ? undefined : [...params])),
          exec: async (sql: string) => {
            await inner.exec(sql);
          },
        };
        return guard.run(() => work(tx));
      });
    },

    async ping(): Promise<void> {
      if (pglite.closed) throw new TransientError(`${where}: closed`);
      try {
        await pglite.query('select 1');
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new TransientError(`${where}: ping failed: ${reason}`, { cause });
      }
    },

    async close(): Promise<void> {
      if (pglite.closed) return;
      await pglite.close();
      dbLog.debug('PGlite closed');
    },
  };
  return database;
}
