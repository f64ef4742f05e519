/**
 * Drop folders: the running hub imports a file put into a source's folder once its size is
 * stable, then moves it to done/; what it cannot import goes to failed/ with the reason beside
 * it. Nothing is lost: the file is always in one of the three places.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubHandle } from '../hub/runtime/app.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';
import { CMEP_FILE, CMEP_USAGE_POINT, importConfig, KWH_15, startImportHub, storeState } from './testing/import-hub.js';

describe('drop folders of a running hub', () => {
  const root = mkdtempSync(join(tmpdir(), 'busbar-drop-'));
  const good = join(root, 'feedA');
  const broken = join(root, 'broken');
  let hub: HubHandle;

  beforeAll(async () => {
    mkdirSync(good);
    const base = importConfig({ feedA: { adapter: 'cmep', dropFolder: good, pollSeconds: 0.05 } });
    // A profile the CMEP schema refuses: loadConfig would stop start-up, so it is added past it
    // to show the watcher moves the file aside instead of losing it.
    const config = { ...base, sources: { ...base.sources, broken: { adapter: 'cmep' as const, profile: { timeZone: 'Mars/Olympus' }, dropFolder: broken, pollSeconds: 0.05 } } };
    hub = await startImportHub(config);
  });

  afterAll(async () => {
    expect(await hub.stop('test')).toEqual({ clean: true, failed: [] });
  });

  const watcher = (source: string) => {
    const found = hub.dropFolders.find((candidate) => candidate.source === source);
    if (found === undefined) throw new Error(`no drop folder for ${source}`);
    return found;
  };

  it('imports a dropped file and moves it to done/', async () => {
    writeFileSync(join(good, 'day1.cmep'), CMEP_FILE);
    await expect.poll(() => existsSync(join(good, 'done', 'day1.cmep')), { timeout: 10_000 }).toBe(true);
    expect(existsSync(join(good, 'day1.cmep'))).toBe(false);
    const period = { usagePoint: CMEP_USAGE_POINT, readingType: KWH_15, start: '2024-01-02T00:00:00Z', end: '2024-01-03T00:00:00Z' };
    await expect.poll(async () => (await readIntervalDays(hub.db, period)).length, { timeout: 10_000 }).toBe(1);
    expect((await storeState(hub.db)).importedFiles).toBe(1);
  });

  it('moves the same content dropped again to done/ under a new name without importing it', async () => {
    writeFileSync(join(good, 'day1.cmep'), CMEP_FILE);
    await expect.poll(() => readdirSync(join(good, 'done')).length, { timeout: 10_000 }).toBe(2);
    expect(readdirSync(join(good, 'done')).filter((name) => name.endsWith('-day1.cmep'))).toHaveLength(1);
    expect((await storeState(hub.db)).importedFiles).toBe(1);
  });

  it('moves what cannot be read to failed/ with an error file', async () => {
    mkdirSync(join(good, 'not-a-file.cmep'));
    await expect.poll(() => existsSync(join(good, 'failed', 'not-a-file.cmep')), { timeout: 10_000 }).toBe(true);
    expect(readFileSync(join(good, 'failed', 'not-a-file.cmep.error.txt'), 'utf8')).toMatch(/not a regular file/);
  });

  it('moves a file of a source with a bad profile to failed/, naming the key', async () => {
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'day1.cmep'), CMEP_FILE);
    await expect.poll(() => existsSync(join(broken, 'failed', 'day1.cmep')), { timeout: 10_000 }).toBe(true);
    expect(readFileSync(join(broken, 'failed', 'day1.cmep'), 'utf8')).toBe(CMEP_FILE);
    expect(readFileSync(join(broken, 'failed', 'day1.cmep.error.txt'), 'utf8')).toMatch(/sources\.broken\.profile\.timeZone/);
  });

  it('leaves a file that is still growing until its size holds', async () => {
    await watcher('feedA').nextPoll();
    const path = join(good, 'growing.cmep');
    writeFileSync(path, CMEP_FILE.slice(0, 40));
    for (let step = 1; step <= 4; step++) {
      await watcher('feedA').nextPoll();
      writeFileSync(path, CMEP_FILE.slice(0, 40 + step * 10));
    }
    expect(existsSync(path)).toBe(true);
    await expect.poll(() => existsSync(join(good, 'failed', 'growing.cmep')) || existsSync(join(good, 'done', 'growing.cmep')), { timeout: 10_000 }).toBe(true);
  });
});
