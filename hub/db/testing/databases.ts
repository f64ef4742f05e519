/**
 * Runs one test suite on both drivers: PGlite in memory and PostgreSQL, so "the same tests pass
 * on both" (DESIGN.md, Database) is checked, not hoped.
 *
 * PostgreSQL: each call creates a fresh `busbar_test_<random>` database through the admin URL
 * (env DATABASE_TEST_URL, default postgres://postgres@127.0.0.1:5432/postgres) and drops it
 * afterwards, so test files running in parallel never share tables. When the server cannot be
 * reached the PostgreSQL variant is skipped with the reason printed, except under CI=true where
 * it fails: CI must not go green by testing one driver.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../database.js';
import { migrate } from '../migrate.js';
import { IN_MEMORY, openPglite } from '../pglite.js';
import { describePostgresUrl, openPostgres } from '../postgres.js';

export const DATABASE_TEST_URL = process.env.DATABASE_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface DatabaseUnderTest {
  readonly kind: Database['kind'];
  /** The suite's database; available from the tests and hooks of the suite on. */
  db(): Database;
  /** PostgreSQL: the URL of the suite's own database (to open a second pool). PGlite: undefined. */
  url(): string | undefined;
}

export interface DescribeEachDatabaseOptions {
  /** Run all migrations (MODULES) before the suite. Default false. */
  migrated?: boolean;
}

const silentLog = pino({ level: 'silent' });

async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  // An 'error' event after a failed connect must not crash the test worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL is unavailable, or undefined when it answers. Probed once per test file. */
const postgresUnavailable = await probePostgres(DATABASE_TEST_URL);

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: DATABASE_TEST_URL, connectionTimeoutMillis: 5_000 });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

function required(db: Database | undefined, where: string): Database {
  if (db === undefined) throw new Error(`${where}: the database is not open (used outside the suite's tests, or beforeAll failed)`);
  return db;
}

export function describeEachDatabase(
  name: string,
  define: (target: DatabaseUnderTest) => void,
  options: DescribeEachDatabaseOptions = {},
): void {
  describe(`${name} [pglite]`, () => {
    let db: Database | undefined;
    beforeAll(async () => {
      db = await openPglite({ dataDir: IN_MEMORY }, silentLog);
      if (options.migrated === true) await migrate(db, silentLog);
    });
    afterAll(async () => {
      await db?.close();
    });
    define({ kind: 'pglite', db: () => required(db, name), url: () => undefined });
  });

  const where = describePostgresUrl(DATABASE_TEST_URL);
  if (postgresUnavailable !== undefined && process.env.CI !== 'true') {
    // Skipped, not failed, only outside CI: a developer without PostgreSQL still runs the PGlite
    // half; under CI=true an unreachable server fails the file (see below).
    process.stderr.write(`skipping the PostgreSQL variant of "${name}": ${where} unreachable (${postgresUnavailable})\n`);
    describe.skip(`${name} [postgres: skipped, ${where} unreachable: ${postgresUnavailable}]`, () => {
      define({ kind: 'postgres', db: () => required(undefined, name), url: () => undefined });
    });
    return;
  }

  describe(`${name} [postgres]`, () => {
    const database = `busbar_test_${randomBytes(6).toString('hex')}`;
    const url = withDatabase(DATABASE_TEST_URL, database);
    let db: Database | undefined;
    let created = false;
    beforeAll(async () => {
      if (postgresUnavailable !== undefined) {
        throw new Error(`CI=true requires PostgreSQL for the database tests, but ${where} is unreachable: ${postgresUnavailable}`);
      }
      await adminQuery(`CREATE DATABASE ${database}`);
      created = true;
      db = await openPostgres({ url, max: 4 }, silentLog);
      if (options.migrated === true) await migrate(db, silentLog);
    });
    afterAll(async () => {
      await db?.close();
      // FORCE (PostgreSQL 13+): a pool a failed test left open must not keep the database alive.
      if (created) await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });
    define({ kind: 'postgres', db: () => required(db, name), url: () => url });
  });
}
