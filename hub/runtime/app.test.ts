import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { FakeBus, FakeDatabase } from '../http/testing/fakes.js';
import { startHub, type HubDependencies } from './app.js';

const log = createLogger('silent');

function fakes(): { bus: FakeBus; db: FakeDatabase; dependencies: HubDependencies; migrated: string[] } {
  const bus = new FakeBus();
  const db = new FakeDatabase();
  const migrated: string[] = [];
  return {
    bus,
    db,
    migrated,
    dependencies: {
      openDatabase: async () => db,
      migrate: async () => {
        migrated.push('ran');
        return { applied: ['hub/001_outbox.sql'] };
      },
      createBus: async () => bus,
    },
  };
}

describe('startHub', () => {
  it('starts on a free port, answers /ready, generates an admin token file, and stops everything in order', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'busbar-hub-'));
    const config = parseConfig({ database: { dataDir }, shutdown: { timeoutMs: 2000 } });
    const { bus, db, dependencies, migrated } = fakes();
    const hub = await startHub({ ...config, http: { ...config.http, port: 0 } }, log, { dependencies, env: {} });
    try {
      expect(migrated).toEqual(['ran']);
      const ready = await fetch(`${hub.url}/ready`);
      expect(ready.status).toBe(200);

      const tokenFile = join(dataDir, 'admin.token');
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(32);
      const dlq = await fetch(`${hub.url}/api/dlq`, { headers: { authorization: `Bearer ${token}` } });
      expect(dlq.status).toBe(200);
      expect((await fetch(`${hub.url}/api/dlq`)).status).toBe(401);

      const subscription = await bus.subscribe('billing', ['#'], async () => {}, hub.subscribeOptions);
      hub.track(subscription);
      expect(hub.subscribeOptions).toEqual({ concurrency: 16, maxRetries: 3, retryDelayMs: 1000, parallelBatches: 1 });
      expect(hub.estimation).toBeDefined();
    } finally {
      const report = await hub.stop('test');
      expect(report).toEqual({ clean: true, failed: [] });
    }
    expect(bus.subscribers[0]?.closed).toBe(true);
    expect(bus.closed).toBe(true);
    expect(db.closed).toBe(true);
    await expect(fetch(`${hub.url}/health`)).rejects.toThrow();
  });

  it('reuses the admin token file on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'busbar-hub-'));
    const config = parseConfig({ database: { dataDir } });
    const first = await startHub({ ...config, http: { ...config.http, port: 0 } }, log, { dependencies: fakes().dependencies, env: {} });
    await first.stop();
    const token = readFileSync(join(dataDir, 'admin.token'), 'utf8');
    const second = await startHub({ ...config, http: { ...config.http, port: 0 } }, log, { dependencies: fakes().dependencies, env: {} });
    await second.stop();
    expect(readFileSync(join(dataDir, 'admin.token'), 'utf8')).toBe(token);
  });

  it('runs no estimation sweep when mdm.estimation.sweepMinutes is 0', async () => {
    const config = parseConfig({ database: { dataDir: 'memory://' }, mdm: { estimation: { sweepMinutes: 0 } } });
    const hub = await startHub({ ...config, http: { ...config.http, port: 0 } }, log, { dependencies: fakes().dependencies, env: {} });
    expect(hub.estimation).toBeUndefined();
    expect(await hub.stop('test')).toEqual({ clean: true, failed: [] });
  });

  it('closes the database when a later start-up step fails', async () => {
    const { db, dependencies } = fakes();
    const config = parseConfig({ database: { dataDir: 'memory://' } });
    const failing = { ...dependencies, createBus: async () => Promise.reject(new Error('broker refused')) };
    await expect(startHub(config, log, { dependencies: failing, env: {} })).rejects.toThrow('broker refused');
    expect(db.closed).toBe(true);
  });

  it('refuses to start when a configured token variable is missing, before opening anything', async () => {
    const { db, dependencies } = fakes();
    let opened = false;
    const config = parseConfig({ auth: { tokens: [{ name: 'ci', roles: ['reader'], tokenEnv: 'CI_TOKEN' }] } });
    const watching = { ...dependencies, openDatabase: async () => ((opened = true), db) };
    await expect(startHub(config, log, { dependencies: watching, env: {} })).rejects.toThrow('auth.tokens[0].tokenEnv = "CI_TOKEN"');
    expect(opened).toBe(false);
  });
});
