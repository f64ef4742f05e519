/** The real transports: memory bus and in-memory PGlite, migrations, relay and HTTP on a free port. */
import { describe, expect, it } from 'vitest';
import { EventType, newEvent } from '../../canonical/index.js';
import { sampleEventData } from '../../canonical/testing/samples.js';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { startHub } from './app.js';

describe('startHub with memory bus and PGlite', () => {
  it('becomes ready, accepts an event, and stops cleanly', async () => {
    const token = 'integration-token-0123456789';
    const config = parseConfig({
      database: { dataDir: 'memory://' },
      auth: { tokens: [{ name: 'test', roles: ['admin'], tokenEnv: 'TEST_TOKEN' }] },
    });
    const hub = await startHub({ ...config, http: { ...config.http, port: 0 } }, createLogger('silent'), { env: { TEST_TOKEN: token } });
    try {
      expect(hub.bus.transport).toBe('memory');
      expect(hub.db.kind).toBe('pglite');
      const ready = await fetch(`${hub.url}/ready`);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { bus: 'ok', database: 'ok' } });
      expect(ready.status).toBe(200);

      const seen: string[] = [];
      hub.track(await hub.bus.subscribe('integration', ['payment.*'], async (event) => void seen.push(event.id), hub.subscribeOptions));
      const event = newEvent(EventType.PaymentReceived, sampleEventData[EventType.PaymentReceived], { source: '/test' });
      const published = await fetch(`${hub.url}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      expect(published.status).toBe(202);
      await expect.poll(() => seen).toEqual([event.id]);
    } finally {
      expect(await hub.stop('test')).toEqual({ clean: true, failed: [] });
    }
  });
});
