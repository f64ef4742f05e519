/**
 * A hub for the file-import tests: memory bus, in-memory PGlite, master data for one CMEP meter
 * (MTR100, source feedA) and one MV-90 recorder (MTR-1001), and file sources for both.
 */
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../hub/config/load.js';
import type { Config } from '../../hub/config/schema.js';
import type { Database, Queryable } from '../../hub/db/database.js';
import { createLogger } from '../../hub/log.js';
import { startHub, type HubHandle } from '../../hub/runtime/app.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../../mdm/master-data.js';

export const CMEP_USAGE_POINT = '0190a0e1-0000-7000-8000-00000000e001';
export const MV90_USAGE_POINT = '0190a0e1-0000-7000-8000-00000000e002';
export const KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';

export const mv90Template = (): Record<string, unknown> => {
  const parsed: unknown = JSON.parse(readFileSync(new URL('../../adapters/mv90/templates/interval-per-row.json', import.meta.url), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('template is not an object');
  return { ...parsed };
};

/** A configuration with the two sources; `extra` adds or replaces sources (drop folders). */
export function importConfig(sources: Record<string, unknown> = {}, database: Record<string, unknown> = { dataDir: 'memory://' }): Config {
  const config = parseConfig({
    database,
    bus: { retry: { maxRetries: 1, delayMs: 10 } },
    auth: { tokens: [{ name: 'test', roles: ['admin'], tokenEnv: 'TEST_TOKEN' }] },
    sources: { feedA: { adapter: 'cmep' }, recorders: { adapter: 'mv90', template: mv90Template() }, ...sources },
  });
  // Port 0 (any free port) is for tests only, so the schema refuses it.
  return { ...config, http: { ...config.http, port: 0 } };
}

export async function seedMasterData(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await upsertUsagePoint(tx, { mRID: CMEP_USAGE_POINT, commodity: 'electric', timeZone: 'UTC', connectionState: 'connected' });
    await upsertMeter(tx, { mRID: '0190a0e1-0000-7000-8000-00000000f001', serialNumber: 'MTR100', commodity: 'electric', multipliers: [], registers: [], names: [{ name: 'MTR100', nameType: 'cmep:feedA/meterId' }] });
    await assignMeter(tx, { meter: '0190a0e1-0000-7000-8000-00000000f001', usagePoint: CMEP_USAGE_POINT, validFrom: '2020-01-01T00:00:00Z' });
    await upsertUsagePoint(tx, { mRID: MV90_USAGE_POINT, commodity: 'electric', timeZone: 'America/New_York', connectionState: 'connected' });
    await upsertMeter(tx, { mRID: '0190a0e1-0000-7000-8000-00000000f002', serialNumber: 'MTR-1001', commodity: 'electric', multipliers: [], registers: [], names: [{ name: 'MTR-1001', nameType: 'mv90:recorderId' }] });
    await assignMeter(tx, { meter: '0190a0e1-0000-7000-8000-00000000f002', usagePoint: MV90_USAGE_POINT, validFrom: '2020-01-01T00:00:00Z' });
  });
}

export async function startImportHub(config: Config = importConfig(), cwd?: string): Promise<HubHandle> {
  const hub = await startHub(config, createLogger('silent'), { env: { TEST_TOKEN: 'import-test-token-0123456789' }, ...(cwd === undefined ? {} : { cwd }) });
  await seedMasterData(hub.db);
  return hub;
}

/** Row counts and the highest version of the reading store: what a repeated import must not change. */
export async function storeState(db: Queryable): Promise<{ days: number; maxVersion: number; reads: number; quarantined: number; importedFiles: number }> {
  const one = async (sql: string): Promise<number> => Number((await db.query<{ n: string | number | null }>(sql)).rows[0]?.n ?? 0);
  return {
    days: await one('SELECT count(*) AS n FROM mdm.interval_day'),
    maxVersion: await one('SELECT coalesce(max(version), 0) AS n FROM mdm.interval_day'),
    reads: await one('SELECT count(*) AS n FROM mdm.register_read'),
    quarantined: await one('SELECT count(*) AS n FROM hub.quarantine'),
    importedFiles: await one('SELECT count(*) AS n FROM hub.imported_file'),
  };
}

/** Three CMEP lines: MTR100 (known, 4 quarter-hours), MTR404 (unknown meter), and a bad value. */
export const CMEP_FILE = [
  'MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR100,OK,E,KWH,1.0,00000015,4,202401020015,,1.25,202401020030,,1.30,202401020045,,1.10,202401020100,,0.95',
  'MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR404,OK,E,KWH,1.0,00000015,2,202401020015,,2.00,202401020030,,2.50',
  'MEPMD01,19970819,SENDER1,ACCT42,RECV1,,202401020815,MTR100,OK,E,KWH,1.0,00000015,1,202401020215,,abc',
].join('\r\n') + '\r\n';

export const MV90_FILE = ['Recorder ID,Channel,Date,Time,Value,Status', 'MTR-1001,1,06/03/2024,00:15,1.25,OK', 'MTR-1001,1,06/03/2024,00:30,1.10,OK', ''].join('\n');
