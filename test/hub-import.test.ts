/**
 * File import into a running hub (memory bus, in-memory PGlite): a CMEP file's readings land on
 * the usage point, the line of an unknown meter and a malformed line end up in quarantine, the
 * same file again is skipped, and forcing it changes nothing in the store. An MV-90 export takes
 * the same path.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQuarantine } from '../hub/quarantine/store.js';
import { importFiles, totalsOf, type FileOutcome, type IngestDependencies } from '../hub/ingest/index.js';
import { createLogger } from '../hub/log.js';
import type { HubHandle } from '../hub/runtime/app.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';
import { CMEP_FILE, CMEP_USAGE_POINT, importConfig, KWH_15, MV90_FILE, MV90_USAGE_POINT, startImportHub, storeState } from './testing/import-hub.js';

function imported(outcome: FileOutcome | undefined) {
  if (outcome?.status !== 'imported') throw new Error(`expected an import, got ${JSON.stringify(outcome)}`);
  return outcome.summary;
}

describe('importFiles on a running hub', () => {
  let hub: HubHandle;
  let deps: IngestDependencies;
  const dir = mkdtempSync(join(tmpdir(), 'busbar-import-'));
  const cmepFile = join(dir, 'feedA-20240102.cmep');
  const mv90File = join(dir, 'recorders.csv');
  writeFileSync(cmepFile, CMEP_FILE);
  writeFileSync(mv90File, MV90_FILE);
  const config = importConfig();

  /** Until the MDM consumer processed what the import published and the quarantine it caused is in. */
  async function settled(count: number): Promise<void> {
    await expect.poll(async () => (await storeState(hub.db)).quarantined, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  }

  beforeAll(async () => {
    hub = await startImportHub(config);
    deps = { config, bus: hub.bus, db: hub.db, log: createLogger('silent'), relay: hub.relay };
  });

  afterAll(async () => {
    expect(await hub.stop('test')).toEqual({ clean: true, failed: [] });
  });

  it('stores the readings of a CMEP file and quarantines the unknown meter and the malformed line', async () => {
    const progress: number[] = [];
    const outcomes = await importFiles(deps, 'feedA', [cmepFile], { onProgress: (event) => void (event.phase === 'importing' && progress.push(event.bytesRead)) });
    const summary = imported(outcomes[0]);
    expect(summary).toMatchObject({ file: cmepFile, records: 2, blocks: 2, registerReads: 0, readings: 6, quarantined: 1, duplicates: 0, bytes: Buffer.byteLength(CMEP_FILE) });
    expect(progress.at(-1)).toBe(Buffer.byteLength(CMEP_FILE));
    const period = { usagePoint: CMEP_USAGE_POINT, readingType: KWH_15, start: '2024-01-02T00:00:00Z', end: '2024-01-03T00:00:00Z' };
    await expect.poll(async () => (await readIntervalDays(hub.db, period)).length, { timeout: 10_000 }).toBe(1);
    const [day] = await readIntervalDays(hub.db, period);
    expect(day?.values.slice(0, 5)).toEqual(['1.25', '1.30', '1.10', '0.95', null]);
    await settled(2);
    const { items } = await listQuarantine(hub.db, { limit: 10 });
    const malformed = items.find((entry) => entry.source === '/adapters/cmep/feedA');
    expect(malformed?.location).toMatchObject({ file: cmepFile, line: 3 });
    expect(malformed?.reason).toMatch(/field 17|value/);
    expect(malformed?.batch).toBe(`cmep-file:${summary.sha256}`);
    const unknown = items.find((entry) => entry.reason.includes('MTR404'));
    expect(unknown?.reason).toMatch(/unknown-meter/);
    // The core sees blocks, not lines: the file is found through the batch, the file content's id.
    expect(unknown?.batch).toBe(`cmep-file:${summary.sha256}`);
    expect(items).toHaveLength(2);
    expect(totalsOf(outcomes)).toMatchObject({ files: 1, imported: 1, readings: 6, quarantined: 1 });
  });

  it('skips the same file the second time, and a forced import changes nothing in the store', async () => {
    const before = await storeState(hub.db);
    expect(before).toMatchObject({ days: 1, maxVersion: 1, importedFiles: 1 });
    const [again] = await importFiles(deps, 'feedA', [cmepFile]);
    expect(again?.status).toBe('skipped');
    if (again?.status !== 'skipped') return;
    expect(again.importedFrom).toBe(cmepFile);
    expect(Date.now() - again.importedAt.getTime()).toBeLessThan(60_000);

    const [forced] = await importFiles(deps, 'feedA', [cmepFile], { force: true });
    expect(imported(forced).readings).toBe(6);
    // The forced run quarantines its malformed line again (a new sighting), nothing else moves.
    await settled(before.quarantined + 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await storeState(hub.db);
    expect(after).toEqual({ ...before, quarantined: before.quarantined + 1 });
  });

  it('imports an MV-90 export through the same path', async () => {
    const [outcome] = await importFiles(deps, 'recorders', [mv90File]);
    expect(imported(outcome)).toMatchObject({ records: 2, blocks: 1, readings: 2, quarantined: 0, bytes: Buffer.byteLength(MV90_FILE) });
    const period = { usagePoint: MV90_USAGE_POINT, readingType: KWH_15, start: '2024-06-03T04:00:00Z', end: '2024-06-04T04:00:00Z' };
    await expect.poll(async () => (await readIntervalDays(hub.db, period)).length, { timeout: 10_000 }).toBe(1);
    const [day] = await readIntervalDays(hub.db, period);
    expect(day?.values.slice(0, 3)).toEqual(['1.25', '1.10', null]);
    expect((await importFiles(deps, 'recorders', [mv90File]))[0]?.status).toBe('skipped');
  });

  it('reports a file it cannot read and refuses a source that is not configured', async () => {
    const [missing] = await importFiles(deps, 'feedA', [join(dir, 'no-such.cmep')]);
    expect(missing?.status).toBe('failed');
    await expect(importFiles(deps, 'nosuch', [cmepFile])).rejects.toThrow(/sources\.nosuch/);
  });
});
