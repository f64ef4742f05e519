/**
 * Databases for benchmarks: a fresh PostgreSQL database created for one run and dropped after
 * (DATABASE_URL names the server, default the local one), or an in-memory PGlite; both migrated.
 * Also the option parsing the database benchmarks share.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import type { Database } from '../hub/db/database.js';
import { migrate } from '../hub/db/migrate.js';
import { IN_MEMORY, openPglite } from '../hub/db/pglite.js';
import { describePostgresUrl, openPostgres } from '../hub/db/postgres.js';

const silentLog = pino({ level: 'silent' });

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs `work` on a migrated PostgreSQL database that exists only for this call. */
export async function withFreshPostgres(work: (db: Database) => Promise<void>, poolSize = 2): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `busbar_bench_${randomBytes(5).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  console.log(`postgres: ${describePostgresUrl(url.toString())} (created for this run, dropped after)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  try {
    const db = await openPostgres({ url: url.toString(), max: poolSize }, silentLog);
    try {
      await migrate(db, silentLog);
      await work(db);
    } finally {
      await db.close();
    }
  } finally {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Runs `work` on a migrated in-memory PGlite. */
export async function withPglite(work: (db: Database) => Promise<void>): Promise<void> {
  const db = await openPglite({ dataDir: IN_MEMORY }, silentLog);
  try {
    await migrate(db, silentLog);
    await work(db);
  } finally {
    await db.close();
  }
}

/** A `--flag N` option: a positive whole number, or the fallback when absent. */
export function positiveOption(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${flag}: expected a positive whole number, got ${text}`);
  return value;
}
