/**
 * Billing determinants over the running hub's bus (memory transport, in-memory PGlite): a CIS
 * publishes `billing_determinants.requested` twice (a redelivery) and gets one
 * `billing_determinants.computed` back through the outbox; a request for an unknown usage point
 * comes back as `reading.quarantined` naming the request's id, and as nothing else.
 */
import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType } from '../canonical/events/names.js';
import { newEvent } from '../canonical/events/validate.js';
import { parseConfig } from '../hub/config/load.js';
import { createLogger } from '../hub/log.js';
import { startHub } from '../hub/runtime/app.js';
import { JUNE_END, JUNE_START } from '../mdm/billing/__fixtures__/june-2024.js';
import { JUNE_USAGE_POINT, seedJune } from './testing/billing-fixtures.js';

describe('billing determinants through the hub', () => {
  it('answers a request delivered twice once, and a request it cannot answer with a quarantine notice', async () => {
    const config = parseConfig({ database: { dataDir: 'memory://' } });
    const hub = await startHub({ ...config, http: { ...config.http, port: 0 } }, createLogger('silent'));
    try {
      await hub.db.transaction((tx) => seedJune(tx));
      const seen: CloudEvent[] = [];
      hub.track(await hub.bus.subscribe('cis-test', [EventType.BillingDeterminantsComputed, EventType.ReadingQuarantined], async (event) => void seen.push(event), hub.subscribeOptions));

      const request = newEvent(
        EventType.BillingDeterminantsRequested,
        { usagePoint: { mRID: JUNE_USAGE_POINT }, periodStart: JUNE_START, periodEnd: JUNE_END, readingTypes: [] },
        { source: '/cis/test', correlationid: 'bill-run-1' },
      );
      await hub.bus.publish(request);
      await hub.bus.publish(request);
      const unknown = newEvent(
        EventType.BillingDeterminantsRequested,
        { usagePoint: { name: 'SP-404', nameType: 'cis:servicePoint' }, periodStart: JUNE_START, periodEnd: JUNE_END, readingTypes: [] },
        { source: '/cis/test', correlationid: 'bill-run-2' },
      );
      await hub.bus.publish(unknown);

      await expect.poll(() => seen.map((event) => event.type).sort(), { timeout: 15_000 }).toEqual(['billing_determinants.computed', 'reading.quarantined']);
      const computed = seen.find((event) => event.type === EventType.BillingDeterminantsComputed);
      expect(computed).toMatchObject({ source: '/mdm/billing', correlationid: 'bill-run-1', causationid: request.id, data: { complete: false, powerFactor: { value: '0.8' } } });
      // The hub may handle both requests in one batch and announce the quarantine in the batch's
      // first correlation: the request's own id is in the record's location.
      const refused = seen.find((event) => event.type === EventType.ReadingQuarantined);
      expect(refused?.data).toMatchObject({ source: 'mdm.determinants', location: { messageId: unknown.id, field: 'usagePoint' }, reason: expect.stringMatching(/^unknown-usage-point: /) });
      // The second delivery found the inbox row: still one answer a moment later.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen.filter((event) => event.type === EventType.BillingDeterminantsComputed)).toHaveLength(1);
    } finally {
      expect(await hub.stop('test')).toEqual({ clean: true, failed: [] });
    }
  });
});
