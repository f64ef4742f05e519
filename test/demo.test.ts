/**
 * `busbar start --demo` on a fresh data folder: the demo utility is seeded, its CMEP file for
 * yesterday is dropped and imported by the hub's own drop-folder watcher, readings can be read
 * over REST, the bad lines are in the quarantine with their file and line, and a second start
 * on the same folder seeds nothing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../hub/config/load.js';
import type { Config } from '../hub/config/schema.js';
import { DEMO_FIRST_USAGE_POINT, DEMO_KWH_15, demoLocalDate, runDemo, withDemoSource, type DemoOutcome } from '../hub/demo/index.js';
import { createLogger } from '../hub/log.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';

const TOKEN = 'demo-test-token-0123456789';
const root = mkdtempSync(join(tmpdir(), 'busbar-demo-'));

function demoConfig(): Config {
  const config = parseConfig({
    database: { dataDir: join(root, 'data') },
    auth: { tokens: [{ name: 'test', roles: ['reader'], tokenEnv: 'TEST_TOKEN' }] },
  });
  // Port 0 (any free port) is for tests only, so the schema refuses it.
  return withDemoSource({ ...config, http: { ...config.http, port: 0 } }, root);
}

async function startDemoHub(): Promise<{ hub: HubHandle; outcome: DemoOutcome }> {
  const config = demoConfig();
  const log = createLogger('silent');
  const hub = await startHub(config, log, { env: { TEST_TOKEN: TOKEN }, cwd: root });
  return { hub, outcome: await runDemo(hub, config, log, { cwd: root }) };
}

/** GET over real HTTP, the answer checked against the shape the test relies on. */
async function get<T>(hub: HubHandle, path: string, schema: z.ZodType<T>): Promise<{ status: number; body: T }> {
  const response = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, body: schema.parse(await response.json()) };
}

const ReadingsSchema = z.object({
  days: z.array(z.object({ localDate: z.string(), values: z.array(z.string().nullable()), audit: z.object({ by: z.string(), kind: z.string() }) })),
});
const QuarantineSchema = z.object({
  items: z.array(z.object({
    source: z.string(),
    location: z.object({ file: z.string().optional(), line: z.number().optional(), messageId: z.string().optional() }),
    reason: z.string(),
    raw: z.string(),
  })),
});

async function usagePointCount(hub: HubHandle): Promise<number> {
  const result = await hub.db.query<{ n: string | number }>('SELECT count(*) AS n FROM mdm.usage_point');
  return Number(result.rows[0]?.n);
}

const EstimateRowSchema = z.object({ usage_point: z.string(), reading_type: z.string(), local_date: z.string(), change_reason: z.string() });

async function estimateRows(hub: HubHandle): Promise<{ usagePoint: string; readingType: string; localDate: string; reason: string }[]> {
  const result = await hub.db.query(
    "SELECT usage_point_mrid::text AS usage_point, reading_type, local_date::text AS local_date, change_reason FROM mdm.interval_day WHERE is_current AND change_kind = 'estimate'",
  );
  return result.rows.map((row) => {
    const parsed = EstimateRowSchema.parse(row);
    return { usagePoint: parsed.usage_point, readingType: parsed.reading_type, localDate: parsed.local_date, reason: parsed.change_reason };
  });
}

describe('busbar start --demo', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('seeds the demo, imports its dropped file, and a restart seeds nothing', async () => {
    const first = await startDemoHub();
    let usagePoints: number;
    try {
      const { hub, outcome } = first;
      expect(outcome.seeded).toEqual({ usagePoints: 300, meters: 301, exchanges: 1 });
      const file = outcome.file;
      if (file === undefined) throw new Error('the first demo start dropped no file');
      expect(file.path).toBe(join(root, 'data', 'drop', 'demo', file.name));
      const done = join(outcome.dropFolder, 'done', file.name);
      await expect.poll(() => existsSync(done), { timeout: 20_000, interval: 200 }).toBe(true);

      // Readings of the first usage point (the one with the meter exchange at local noon).
      const day = demoLocalDate(new Date(), 'America/Chicago');
      const readingsPath = `/api/usage-points/${DEMO_FIRST_USAGE_POINT}/readings?readingType=${DEMO_KWH_15}&start=${day}&end=${day}T23:59:59Z`;
      await expect.poll(async () => (await get(hub, readingsPath, ReadingsSchema)).body.days.length, { timeout: 20_000, interval: 200 }).toBe(1);
      const { status, body } = await get(hub, readingsPath, ReadingsSchema);
      expect(status).toBe(200);
      const [stored] = body.days;
      expect(stored?.localDate).toBe(day);
      // Both meters' halves landed on the usage point: a full day, no gap at the exchange.
      expect(stored?.values.every((value) => value !== null)).toBe(true);
      expect(stored?.audit.kind).toBe('import');

      // The two malformed lines from the adapter with file and line; the unknown meter's block from the core.
      const malformed = file.badLines.filter((bad) => bad.kind !== 'unknown-meter');
      await expect.poll(async () => (await get(hub, '/api/quarantine', QuarantineSchema)).body.items.length, { timeout: 20_000, interval: 200 }).toBe(3);
      const { body: quarantine } = await get(hub, '/api/quarantine', QuarantineSchema);
      const fromFile = quarantine.items.filter((item) => item.location.line !== undefined);
      expect(fromFile.map((item) => item.location.line).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(malformed.map((bad) => bad.line));
      for (const item of fromFile) expect(item.location.file).toBe(file.path);
      const unknown = quarantine.items.filter((item) => item.location.line === undefined);
      expect(unknown).toHaveLength(1);
      expect(unknown[0]?.reason).toMatch(/unknown-meter/);
      expect(unknown[0]?.raw).toContain('E-99999');
      // Gaps are estimated in the import's transaction: single intervals by interpolation, the
      // five-hour water and gas outages by class profile against the midnight register reads.
      await expect.poll(async () => (await estimateRows(hub)).length, { timeout: 20_000, interval: 200 }).toBeGreaterThan(0);
      const estimates = await estimateRows(hub);
      expect(estimates.filter((row) => /^linear: 1 interval\(s\) \[10\]$/.test(row.reason)).length).toBeGreaterThan(0);
      const profiled = estimates.filter((row) => /^class-profile: 5 interval\(s\) \[9,10,11,12,13\]$/.test(row.reason));
      expect(profiled.length).toBeGreaterThan(0);
      const [waterOrGas] = profiled;
      const estimatedPath = `/api/usage-points/${waterOrGas?.usagePoint ?? ''}/readings?readingType=${waterOrGas?.readingType ?? ''}&start=${waterOrGas?.localDate ?? ''}&end=${waterOrGas?.localDate ?? ''}T23:59:59Z`;
      const { body: estimatedDay } = await get(hub, estimatedPath, ReadingsSchema);
      expect(estimatedDay.days[0]?.audit).toMatchObject({ by: 'mdm.estimation', kind: 'estimate' });
      expect(estimatedDay.days[0]?.values.every((value) => value !== null)).toBe(true);
      usagePoints = await usagePointCount(hub);
      expect(usagePoints).toBe(300);
    } finally {
      expect(await first.hub.stop('test')).toEqual({ clean: true, failed: [] });
    }

    const second = await startDemoHub();
    try {
      expect(second.outcome.seeded).toBeUndefined();
      expect(second.outcome.file).toBeUndefined();
      expect(await usagePointCount(second.hub)).toBe(usagePoints);
    } finally {
      await second.hub.stop('test');
    }
  }, 60_000);
});
