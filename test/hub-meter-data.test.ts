/**
 * The running hub wires the meter data core: an interval block published on the bus (here
 * through the REST API, as an adapter would through its context) is stored on its usage point by
 * the MDM consumer, and a block for a meter the hub does not know shows up in the quarantine with
 * that reason. Memory bus and in-memory PGlite, the embedded defaults a new user gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, newEvent, ReadingTypeCodes } from '../canonical/index.js';
import type { IntervalBlock } from '../canonical/model/interval-block.js';
import { parseConfig } from '../hub/config/load.js';
import { createLogger } from '../hub/log.js';
import { startHub, type HubHandle } from '../hub/runtime/app.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../mdm/master-data.js';
import { readIntervalDays } from '../mdm/store/interval-store.js';

const TOKEN = 'meter-data-test-token-0123456789';
const FEED = 'cmep:feedA/meterId';
const USAGE_POINT = '0190a0e1-0000-7000-8000-00000000c001';
const METER = '0190a0e1-0000-7000-8000-00000000d001';

function block(meterName: string): IntervalBlock {
  const values = Array.from({ length: 96 }, (_, index) => (index === 10 ? null : (index / 4).toFixed(2)));
  return {
    meter: { name: meterName, nameType: FEED },
    readingType: ReadingTypeCodes.IntervalKwhForward15Min,
    start: '2026-03-08T06:00:00Z', // local midnight in America/Chicago before the spring-forward gap
    intervalSeconds: 900,
    values: values.slice(0, 92),
    qualities: values.slice(0, 92).map((value) => (value === null ? ['2.5.259'] : [])),
  };
}

describe('hub with the meter data core (memory bus, PGlite)', () => {
  let hub: HubHandle;

  async function post(data: IntervalBlock): Promise<number> {
    const event = newEvent(EventType.IntervalBlockReceived, data, { source: '/adapters/cmep/feedA' });
    const response = await fetch(`${hub.url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    return response.status;
  }

  beforeAll(async () => {
    const config = parseConfig({ database: { dataDir: 'memory://' }, auth: { tokens: [{ name: 'test', roles: ['admin'], tokenEnv: 'TEST_TOKEN' }] } });
    hub = await startHub({ ...config, http: { ...config.http, port: 0 }, bus: { ...config.bus, retry: { maxRetries: 1, delayMs: 10 } } }, createLogger('silent'), { env: { TEST_TOKEN: TOKEN } });
    await hub.db.transaction(async (tx) => {
      await upsertUsagePoint(tx, { mRID: USAGE_POINT, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
      await upsertMeter(tx, { mRID: METER, serialNumber: 'MTR100', commodity: 'electric', multipliers: [], registers: [], names: [{ name: 'MTR100', nameType: FEED }] });
      await assignMeter(tx, { meter: METER, usagePoint: USAGE_POINT, validFrom: '2020-01-01T00:00:00Z' });
    });
  });

  afterAll(async () => {
    expect(await hub.stop('test')).toEqual({ clean: true, failed: [] });
  });

  it('stores a block for a known meter on its usage point, on the 23-hour local day', async () => {
    expect(await post(block('MTR100'))).toBe(202);
    const period = { usagePoint: USAGE_POINT, readingType: ReadingTypeCodes.IntervalKwhForward15Min, start: '2026-03-08T06:00:00Z', end: '2026-03-09T05:00:00Z', versions: 'current' } as const;
    await expect.poll(async () => (await readIntervalDays(hub.db, period)).length, { timeout: 10_000 }).toBe(1);
    const [day] = await readIntervalDays(hub.db, period);
    expect(day?.localDate).toBe('2026-03-08');
    expect(day?.values).toHaveLength(92);
    // The missing interval was estimated by interpolation in the same transaction (a new version).
    expect([day?.version, day?.changeKind, day?.values[10], day?.qualities[10]]).toEqual([2, 'estimate', '2.5', ['3.8.1']]);
    expect(day?.values[91]).toBe('22.75');
  });

  it('quarantines a block for a meter it does not know, with the reason, and lists it over REST', async () => {
    expect(await post(block('MTR404'))).toBe(202);
    const list = async (): Promise<Array<{ reason: string }>> => {
      const response = await fetch(`${hub.url}/api/quarantine?reason=MTR404`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = (await response.json()) as { items: Array<{ reason: string }> };
      return body.items;
    };
    await expect.poll(async () => (await list()).length, { timeout: 10_000 }).toBe(1);
    expect((await list())[0]?.reason).toMatch(/unknown-meter.*cmep:feedA\/meterId "MTR404"/);
  });
});
