/**
 * The running hub sweeps for estimation on its timer (mdm.estimation.sweepMinutes): a day whose
 * gap was too recent for the estimation policy when it was imported is estimated without anyone
 * asking, counted in /metrics, and a graceful stop stops the sweep. Memory bus and in-memory
 * PGlite, the embedded defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../hub/config/load.js';
import { createLogger } from '../hub/log.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { saveSweepVeeConfig, seedPendingDay, versionsOf, type PendingDay } from '../hub/runtime/testing/pending-estimation.js';

const TOKEN = 'estimation-sweep-token-0123456789';
const UP = '0190a0e1-0000-7000-8000-0000000e8001';
const METER = '0190a0e1-0000-7000-8000-0000000f8001';

describe('hub estimation sweep (memory bus, PGlite)', () => {
  let hub: HubHandle;
  const logged: Array<{ msg?: unknown; step?: unknown; examined?: unknown; estimated?: unknown }> = [];
  const log = createLogger('info', { write: (line: string) => void logged.push(JSON.parse(line)) });

  beforeAll(async () => {
    const config = parseConfig({
      database: { dataDir: 'memory://' },
      auth: { tokens: [{ name: 'test', roles: ['admin'], tokenEnv: 'TEST_TOKEN' }] },
      // 60 ms between sweeps.
      mdm: { estimation: { sweepMinutes: 0.001 } },
    });
    hub = await startHub({ ...config, http: { ...config.http, port: 0 } }, log, { env: { TEST_TOKEN: TOKEN } });
  });

  afterAll(async () => {
    // Idempotent: the last test already stopped it.
    await hub.stop('test');
  });

  it('estimates a day whose gap was pending at import, on its own, and counts it', async () => {
    expect(hub.estimation).toBeDefined();
    await saveSweepVeeConfig(hub.db);
    // Imported an hour after it ended, long ago: the real clock finds the gap due.
    const day: PendingDay = await seedPendingDay(hub.db, { usagePoint: UP, meter: METER, meterName: 'SWEEP-H1', localDate: '2024-06-12' });
    await expect.poll(async () => (await versionsOf(hub.db, day)).map((version) => [version.version, version.changeKind]), { timeout: 10_000 }).toEqual([
      [1, 'import'],
      [2, 'estimate'],
    ]);
    const metrics = await (await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toContain('busbar_estimation_sweep_days_total{trigger="timer"} 1');
    expect(logged.filter((line) => line.msg === 'estimation sweep: days estimated')).toMatchObject([{ examined: 1, estimated: 1 }]);
  });

  it('stops the sweep before the database closes, as part of a clean shutdown', async () => {
    const sweeping = hub.estimation?.nextSweep();
    expect(await hub.stop('test')).toEqual({ clean: true, failed: [] });
    // Resolved by the sweep that was running, or by the stop that cancelled the next one.
    await sweeping;
    const steps = logged.filter((line) => line.msg === 'shutdown step done').map((line) => line.step);
    expect(steps.indexOf('stop estimation sweep')).toBeGreaterThan(-1);
    expect(steps.indexOf('stop estimation sweep')).toBeLessThan(steps.indexOf('close database'));
  });
});
