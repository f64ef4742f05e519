/**
 * `busbar start --demo`: a small demo utility on a fresh data folder. Before the hub starts, a
 * `demo` CMEP source with a drop folder in the data folder is added (unless the configuration
 * names one); once it runs, the master data is seeded (once per database) and a generated file
 * for yesterday is dropped, so the hub's own drop-folder watcher imports it as it would a real
 * feed. The log then says where to look.
 */
import { rename, writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../canonical/errors.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { adminTokenPath, IN_MEMORY_DATA_DIR } from '../runtime/admin-token.js';
import type { HubHandle } from '../runtime/app.js';
import { demoCmepFile, type DemoCmepFile } from './cmep-file.js';
import { DEMO_FIRST_USAGE_POINT, DEMO_SOURCE, demoLocalDate, demoPlan, type DemoPlan } from './plan.js';
import { isDemoSeeded, seedDemo, type DemoSeedSummary } from './seed.js';

/** ReadingType of CMEP `KWH` at 15 minutes (cim.md §2), what the demo's electric lines become. */
export const DEMO_KWH_15 = '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
/** A second poll confirms the size; one second keeps the demo within a few seconds of start. */
const DEMO_POLL_SECONDS = 1;

/** The drop folder of the demo source when the configuration does not define the source. */
export function demoDropFolder(config: Config, cwd: string): string {
  return resolve(cwd, config.database.dataDir, 'drop', DEMO_SOURCE);
}

/** The configuration with the demo source added; a configured `demo` source is kept as it is. */
export function withDemoSource(config: Config, cwd: string): Config {
  if (config.database.dataDir === IN_MEMORY_DATA_DIR) {
    throw new ConfigError('database.dataDir', 'a folder for the demo drop folder (the demo cannot run with memory://)', config.database.dataDir);
  }
  if (config.sources[DEMO_SOURCE] !== undefined) return config;
  return { ...config, sources: { ...config.sources, [DEMO_SOURCE]: { adapter: 'cmep', dropFolder: demoDropFolder(config, cwd), pollSeconds: DEMO_POLL_SECONDS } } };
}

export interface DemoOutcome {
  readonly seeded?: DemoSeedSummary;
  readonly file?: DemoCmepFile & { readonly path: string };
  readonly dropFolder: string;
}

/** Writes beside, then renames: the watcher skips dot files, so it never sees half a file. */
async function dropFile(folder: string, file: DemoCmepFile): Promise<string> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, file.name);
  const partial = join(folder, `.${file.name}.partial`);
  await writeFile(partial, file.text);
  await rename(partial, path);
  return path;
}

function logWhereToLook(hub: HubHandle, config: Config, cwd: string, log: Logger, plan: DemoPlan, now: Date): void {
  const first = plan.usagePoints[0];
  const water = plan.usagePoints.find((usagePoint) => usagePoint.commodity === 'water');
  const day = first === undefined ? demoLocalDate(now, 'UTC') : demoLocalDate(now, first.timeZone);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const token = config.auth.tokens.length === 0 ? `$(cat ${adminTokenPath(config.database.dataDir, cwd)})` : '<your token>';
  const auth = `-H "Authorization: Bearer ${token}"`;
  const curls = [
    `curl -s ${auth} '${hub.url}/api/quarantine'`,
    `curl -s ${auth} '${hub.url}/api/usage-points/${DEMO_FIRST_USAGE_POINT}/readings?readingType=${DEMO_KWH_15}&start=${day}&end=${next}'`,
    ...(water === undefined ? [] : [`curl -s ${auth} '${hub.url}/api/usage-points/${water.mRID}/register-reads?start=${day}&end=${next}'`]),
  ];
  log.info({ usagePoint: DEMO_FIRST_USAGE_POINT, readingType: DEMO_KWH_15, localDate: day, docs: `${hub.url}/docs` }, 'demo: where to look (commands below)');
  // One command per line, unwrapped, so they can be copied from the terminal as they are.
  for (const curl of curls) log.info(`demo: ${curl}`);
}

/** Seeds and drops the demo file when this database has no demo yet; logs where to look either way. */
export async function runDemo(hub: HubHandle, config: Config, log: Logger, options: { cwd: string; now?: Date }): Promise<DemoOutcome> {
  const now = options.now ?? new Date();
  const source = config.sources[DEMO_SOURCE];
  const dropFolder = source?.dropFolder === undefined ? demoDropFolder(config, options.cwd) : resolve(options.cwd, source.dropFolder);
  const plan = demoPlan(now);
  if (await isDemoSeeded(hub.db)) {
    log.info({ dropFolder }, 'demo: this database already holds the demo utility; nothing seeded, no file dropped');
    logWhereToLook(hub, config, options.cwd, log, plan, now);
    return { dropFolder };
  }
  const seeded = await seedDemo(hub.db, plan);
  log.info({ ...seeded, zones: [...new Set(plan.usagePoints.map((usagePoint) => usagePoint.timeZone))] }, 'demo: seeded usage points, meters and assignments (one meter exchange)');
  const file = demoCmepFile(plan, now);
  const path = await dropFile(dropFolder, file);
  log.info(
    { path, lines: file.lines, badLines: file.badLines.map((bad) => `line ${bad.line}: ${bad.kind} (${bad.meterId})`) },
    'demo: dropped a CMEP file for yesterday; the drop-folder watcher imports it and moves it to done/ (bad lines go to quarantine)',
  );
  logWhereToLook(hub, config, options.cwd, log, plan, now);
  return { seeded, file: { ...file, path }, dropFolder };
}
