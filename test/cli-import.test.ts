/**
 * `busbar import` end to end, in-process: a temp data folder (PGlite on disk) with master data,
 * a configuration with a CMEP source, the command imports the file through the hub's pipeline and
 * prints the summary; run again, it skips the file; with a hub holding the folder it says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../hub/cli/io.js';
import { runCli } from '../hub/cli/program.js';
import { migrate } from '../hub/db/migrate.js';
import { openPglite } from '../hub/db/pglite.js';
import { createLogger } from '../hub/log.js';
import { DATA_LOCK_FILE } from '../hub/runtime/data-lock.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';
import { CMEP_FILE, CMEP_USAGE_POINT, KWH_15, seedMasterData, storeState } from './testing/import-hub.js';

function captureIo(cwd: string): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (text) => void out.push(text), err: (text) => void err.push(text), env: {}, cwd, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

describe('busbar import', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'busbar-cli-import-'));
  const pgliteDir = join(cwd, 'data', 'pglite');

  beforeAll(async () => {
    writeFileSync(join(cwd, 'busbar.yaml'), 'database:\n  dataDir: ./data\nsources:\n  feedA:\n    adapter: cmep\n    dropFolder: ./drop/feedA\n');
    writeFileSync(join(cwd, 'day1.cmep'), CMEP_FILE);
    const db = await openPglite({ dataDir: pgliteDir }, createLogger('silent'));
    await migrate(db, createLogger('silent'));
    await seedMasterData(db);
    await db.close();
  }, 30_000);

  it('lists its arguments and options in --help', async () => {
    const io = captureIo(cwd);
    expect(await runCli(['import', '--help'], io)).toBe(0);
    const help = io.stdout().replace(/\s+/g, ' ');
    for (const text of ['Usage: busbar import [options] <adapter> <files...>', '-s, --source <name>', '-f, --force']) expect(help).toContain(text);
  });

  it('imports a file through the hub pipeline, prints the summary, then skips it the second time', async () => {
    const io = captureIo(cwd);
    expect(await runCli(['import', 'cmep', 'day1.cmep', '--source', 'feedA'], io), io.stderr()).toBe(0);
    const out = io.stdout();
    expect(out).toMatch(/^imported .*day1\.cmep: 2 records, 2 blocks, 0 register reads, 6 readings, 1 quarantined, 0 duplicates in [\d.]+ s$/m);
    expect(out).toContain('files: 1 (1 imported, 0 skipped, 0 failed)');
    expect(out).toContain('readings: 6');
    expect(out).toContain('quarantined: 1 by the adapter, 1 by the cores (unknown meters or usage points)');
    expect(out).toMatch(/^seconds: [\d.]+$/m);

    const again = captureIo(cwd);
    expect(await runCli(['import', 'cmep', 'day1.cmep', '--source', 'feedA'], again)).toBe(0);
    expect(again.stdout()).toMatch(/skipped .*day1\.cmep: already imported at \d{4}-\d\d-\d\dT/);
    expect(again.stdout()).toContain('files: 1 (0 imported, 1 skipped, 0 failed)');

    const db = await openPglite({ dataDir: pgliteDir }, createLogger('silent'));
    try {
      const period = { usagePoint: CMEP_USAGE_POINT, readingType: KWH_15, start: '2024-01-02T00:00:00Z', end: '2024-01-03T00:00:00Z' };
      expect((await readIntervalDays(db, period))[0]?.values.slice(0, 4)).toEqual(['1.25', '1.30', '1.10', '0.95']);
      expect(await storeState(db)).toMatchObject({ days: 1, importedFiles: 1, quarantined: 2 });
    } finally {
      await db.close();
    }
  }, 60_000);

  it('refuses an adapter that is not the source\'s, naming the key', async () => {
    const io = captureIo(cwd);
    expect(await runCli(['import', 'mv90', 'day1.cmep', '--source', 'feedA'], io)).toBe(2);
    expect(io.stderr()).toContain('sources.feedA.adapter = "cmep": expected "mv90" as given on the command line');
  });

  it('says so when a running hub holds the data folder, and points to the drop folder', async () => {
    // The parent process stands in for a running hub: alive, and not this process.
    writeFileSync(join(cwd, 'data', DATA_LOCK_FILE), JSON.stringify({ pid: process.ppid, role: 'busbar start', since: '2024-01-01T00:00:00Z' }));
    const io = captureIo(cwd);
    expect(await runCli(['import', 'cmep', 'day1.cmep', '--source', 'feedA'], io)).toBe(1);
    expect(io.stderr()).toMatch(/in use by busbar start \(pid \d+/);
    expect(io.stderr()).toContain('./drop/feedA');
  });
});
