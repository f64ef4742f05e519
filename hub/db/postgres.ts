/**
 * PostgreSQL through a `pg` Pool. A transaction holds one pooled client from BEGIN to
 * COMMIT/ROLLBACK. Connection trouble becomes a TransientError naming the server and database
 * (never the password); SQL errors pass through unchanged with their SQLSTATE `code`.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError, TransientError } from '../../canonical/errors.js';
import type { Database, QueryResult, Transaction } from './database.js';
import { PG_TYPE, SESSION_TIME_ZONE, TEXT_ARRAYS, TEXT_AS_IS } from './row-shape.js';
import { TransactionGuard } from './transaction-guard.js';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Pool size. Default 10. */
  max?: number;
  /** How long to wait for a connection before failing with a TransientError. Default 10 s. */
  connectionTimeoutMillis?: number;
}

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];
type TypeFormat = Parameters<typeof pg.types.getTypeParser>[1];

/** text[]: pg's parser yields the elements as PostgreSQL text, which is what TEXT_ARRAYS want. */
const TEXT_ARRAY_OID: number = 1009;
const textArrayParser: (value: string) => unknown = pg.types.getTypeParser(TEXT_ARRAY_OID);
const byteaParser: (value: string) => unknown = pg.types.getTypeParser(PG_TYPE.bytea);

/** Per-pool parsers implementing row-shape.ts, without touching pg's global type table. */
function getTypeParser(id: TypeId, format?: TypeFormat): (value: string) => unknown {
  if (format !== 'binary') {
    if (TEXT_AS_IS.includes(id)) return (value) => value;
    if (TEXT_ARRAYS.includes(id)) return textArrayParser;
    if (id === PG_TYPE.bytea) {
      return (value) => {
        const parsed = byteaParser(value);
        return parsed instanceof Uint8Array ? new Uint8Array(parsed) : parsed;
      };
    }
  }
  return pg.types.getTypeParser(id, format);
}

/** `user@host:port/database`, for messages: the password never appears. */
export function describePostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    // The value is not echoed: it may contain a password.
    throw new ConfigError('DATABASE_URL', 'a URL of the form postgres://user:password@host:port/database', undefined, { cause });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `a postgres:// or postgresql:// URL, not ${parsed.protocol}//`);
  }
  const user = decodeURIComponent(parsed.username) || 'postgres';
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || '5432';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
  return `${user}@${host}:${port}/${database}`;
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
]);

function errorCode(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Failures a reconnect may cure: network errors, SQLSTATE class 08, server shutdown, too many connections. */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Node tries every address of a host name; all of them failing arrives as an AggregateError.
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  const code = errorCode(error);
  if (code !== undefined && (NETWORK_ERROR_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code))) {
    return true;
  }
  // pg reports a dropped socket and its own connect timeout without a code.
  return /Connection terminated|timeout expired|connection timeout/i.test(error.message);
}

/** serialization_failure and deadlock_detected: the statement may succeed when retried. */
function isRetryableConflict(error: unknown): boolean {
  return error instanceof Error && ['40001', '40P01'].includes(errorCode(error) ?? '');
}

export async function openPostgres(options: PostgresOptions, log: Logger): Promise<Database> {
  const target = describePostgresUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'busbar',
    options: `-c TimeZone=${SESSION_TIME_ZONE}`,
    types: { getTypeParser },
  });
  const dbLog = log.child({ database: target });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', (error) => dbLog.error({ err: error }, 'idle PostgreSQL connection failed; the pool will reconnect'));
  // A checked-out client between two statements (a relay publishing inside its transaction) emits on itself.
  pool.on('connect', (client) => {
    client.on('error', (error) => dbLog.warn({ err: error }, 'PostgreSQL connection failed while in use'));
  });

  const classify = (error: unknown, during: string): unknown => {
    if (error instanceof TransientError) return error;
    if (isConnectionFailure(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      return new TransientError(`PostgreSQL ${target}: ${during}: ${reason}`, { cause: error });
    }
    if (isRetryableConflict(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      return new TransientError(`PostgreSQL ${target}: ${during}: ${reason} (retry)`, { cause: error });
    }
    return error;
  };

  const run = async <Row>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] | undefined): Promise<QueryResult<Row>> => {
    // Extended protocol even without parameters: one statement per query(), as on PGlite.
    const config: pg.QueryConfig<unknown[]> & { queryMode: 'extended' } = { text: sql, values: [...(params ?? [])], queryMode: 'extended' };
    try {
      const result = await client.query<Row & pg.QueryResultRow>(config);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw classify(error, 'query failed');
    }
  };

  const guard = new TransactionGuard(`PostgreSQL ${target}`);
  let closed = false;

  const database: Database = {
    kind: 'postgres',

    async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      guard.assertOutside('query');
      return run<Row>(pool, sql, params);
    },

    async exec(sql: string): Promise<void> {
      guard.assertOutside('exec');
      try {
        await pool.query(sql);
      } catch (error) {
        throw classify(error, 'exec failed');
      }
    },

    async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
      guard.assertOutside('transaction');
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw classify(error, 'cannot connect');
      }
      let finished = false;
      const use = (): pg.PoolClient => {
        // The client goes back to the pool afterwards; a late call would run in someone else's session.
        if (finished) throw new Error(`PostgreSQL ${target}: transaction already finished; tx used after commit or rollback`);
        return client;
      };
      const tx: Transaction = {
        query: async <Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => run<Row>(use(), sql, params),
        exec: async (sql: string) => {
          try {
            await use().query(sql);
          } catch (error) {
            throw classify(error, 'exec failed');
          }
        },
      };
      let releaseError: Error | undefined;
      try {
        await run(client, 'BEGIN', []);
        const result = await guard.run(() => work(tx));
        await run(client, 'COMMIT', []);
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back must not be reused: release(err) destroys it.
          releaseError = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          dbLog.warn({ err: rollbackError }, 'ROLLBACK failed; discarding the connection');
        }
        // Already classified where it came from (tx.query, BEGIN, COMMIT) or the work's own error.
        throw error;
      } finally {
        finished = true;
        client.release(releaseError);
      }
    },

    async ping(): Promise<void> {
      if (closed) throw new TransientError(`PostgreSQL ${target}: the pool is closed`);
      await run(pool, 'select 1', []);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  return database;
}
