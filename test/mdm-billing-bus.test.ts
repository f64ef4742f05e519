/**
 * The MDM_DETERMINANTS consumer on PostgreSQL and PGlite: a CIS's `billing_determinants.requested`
 * is answered with one `billing_determinants.computed` correlated to it, also when the bus
 * delivers the request twice (the hub's effectOnce); a request it cannot answer is quarantined
 * with the reason and answered with nothing.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType } from '../canonical/events/names.js';
import { newEvent, validateEvent } from '../canonical/events/validate.js';
import type { BillingDeterminants, BillingDeterminantsRequest } from '../canonical/model/billing-determinants.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { effectOnce } from '../hub/outbox/inbox.js';
import { recordQuarantine } from '../hub/quarantine/store.js';
import { JUNE_END, JUNE_START, KWH_15 } from '../mdm/billing/__fixtures__/june-2024.js';
import { MDM_CONSUMERS, MDM_DETERMINANTS } from '../mdm/consumers.js';
import { upsertUsagePoint } from '../mdm/master-data.js';
import { sliceForUsagePoint } from '../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../mdm/store/interval-store.js';
import { JUNE_USAGE_POINT, seedJune } from './testing/billing-fixtures.js';

const CIS = '/cis/billing';
const NO_PROFILE_UP = '0190a0e1-0000-7000-8000-0000000b0101';

function request(data: Partial<BillingDeterminantsRequest> = {}, correlationid = 'bill-run-2024-06'): CloudEvent {
  return newEvent(
    EventType.BillingDeterminantsRequested,
    { usagePoint: { mRID: JUNE_USAGE_POINT }, account: { name: 'ACCT-1', nameType: 'cis:account' }, periodStart: JUNE_START, periodEnd: JUNE_END, readingTypes: [], ...data },
    { source: CIS, subject: JUNE_USAGE_POINT, correlationid },
  );
}

describeEachDatabase(
  'mdm billing determinants over the bus',
  (target) => {
    const db = () => target.db();

    beforeAll(async () => {
      await db().transaction(async (tx) => {
        await seedJune(tx);
        await upsertUsagePoint(tx, { mRID: NO_PROFILE_UP, commodity: 'electric', rateClass: 'E-UNPRICED', timeZone: 'America/Chicago', connectionState: 'connected' });
      });
    });

    it('is one of the meter data core\'s consumers, bound to billing_determinants.requested', () => {
      expect(MDM_CONSUMERS).toContain(MDM_DETERMINANTS);
      expect([MDM_DETERMINANTS.group, MDM_DETERMINANTS.patterns]).toEqual(['mdm.determinants', ['billing_determinants.requested']]);
    });

    it('answers a request with billing_determinants.computed, caused by it and in its correlation', async () => {
      const asked = request();
      const { events, quarantined } = await db().transaction((tx) => MDM_DETERMINANTS.work(asked, tx));
      expect(quarantined).toEqual([]);
      expect(events).toHaveLength(1);
      const answer = validateEvent(events[0]);
      expect(answer).toMatchObject({ type: 'billing_determinants.computed', source: '/mdm/billing', subject: JUNE_USAGE_POINT, correlationid: 'bill-run-2024-06', causationid: asked.id });
      const data = answer.data as BillingDeterminants;
      // The period comes back as it was asked; the usage point as it was named, with its mRID.
      expect([data.periodStart, data.periodEnd, data.usagePoint, data.account]).toEqual([JUNE_START, JUNE_END, { mRID: JUNE_USAGE_POINT }, { name: 'ACCT-1', nameType: 'cis:account' }]);
      expect(Object.fromEntries(data.determinants.map((determinant) => [determinant.name, [determinant.quantity.value, determinant.estimatedIntervals, determinant.missingIntervals]]))).toMatchObject({
        'kwh-total': ['2911.5', 10, 4],
        'kwh-summer-on-peak': ['400.5', 0, 0],
        'kw-max-summer-on-peak': ['16.5', 0, 0],
      });
      expect([data.complete, data.powerFactor?.value]).toEqual([false, '0.8']);
    });

    it('answers once when the bus delivers the request twice', async () => {
      const handler = effectOnce(db(), MDM_DETERMINANTS.group, async (event, tx) => {
        const result = await MDM_DETERMINANTS.work(event, tx);
        await recordQuarantine(tx, result.quarantined);
        return result.events;
      });
      const asked = request({ readingTypes: [KWH_15] }, 'bill-run-redelivered');
      const delivery = { group: MDM_DETERMINANTS.group, attempt: 1, routingKey: asked.type };
      await handler(asked, delivery);
      await handler(asked, { ...delivery, attempt: 2 });
      const outbox = await db().query<{ type: string; causationid: string }>(
        "SELECT type, envelope->>'causationid' AS causationid FROM hub.outbox WHERE envelope->>'correlationid' = 'bill-run-redelivered'",
      );
      expect(outbox.rows).toEqual([{ type: 'billing_determinants.computed', causationid: asked.id }]);
    });

    it('quarantines a request for an unknown usage point or without a billing profile, and answers nothing', async () => {
      const unknown = request({ usagePoint: { name: 'SP-404', nameType: 'cis:servicePoint' } });
      const unpriced = request({ usagePoint: { mRID: NO_PROFILE_UP } });
      const broken = { ...request(), data: { usagePoint: { mRID: JUNE_USAGE_POINT }, periodStart: JUNE_END, periodEnd: JUNE_START, readingTypes: [] } };
      const { events, quarantined } = await db().transaction((tx) => MDM_DETERMINANTS.workBatch([unknown, unpriced, broken, request()], tx));
      expect(events.map((event) => event.causationid)).toHaveLength(1);
      expect(quarantined.map((record) => [record.source, record.location, record.reason])).toEqual([
        ['mdm.determinants', { messageId: unknown.id, field: 'usagePoint' }, `unknown-usage-point: no usage point has cis:servicePoint "SP-404" (billing_determinants.requested from ${CIS})`],
        [
          'mdm.determinants',
          { messageId: unpriced.id, field: 'usagePoint' },
          `no-billing-profile: usage point ${NO_PROFILE_UP} (rate class E-UNPRICED) has no billing profile in force on 2024-06-01, and the request names no ReadingTypes (billing_determinants.requested from ${CIS})`,
        ],
        ['mdm.determinants', { messageId: broken.id, field: 'data.periodEnd' }, 'invalid event: billing_determinants.requested: data.periodEnd: periodEnd must be after periodStart'],
      ]);
      expect(JSON.parse(quarantined[1]?.raw ?? 'null')).toMatchObject({ usagePoint: { mRID: NO_PROFILE_UP } });
    });

    it('quarantines a request whose stored days contradict the usage point\'s zone, and answers the others', async () => {
      const MOVED = '0190a0e1-0000-7000-8000-0000000b0102';
      await db().transaction(async (tx) => {
        await upsertUsagePoint(tx, { mRID: MOVED, commodity: 'electric', timeZone: 'America/Chicago', connectionState: 'connected' });
        const values = new Array<string>(96).fill('1');
        await writeIntervalSlices(tx, sliceForUsagePoint({ start: '2024-06-03T05:00:00Z', intervalSeconds: 900, values, qualities: values.map(() => []) }, { usagePoint: MOVED, readingType: KWH_15, timeZone: 'America/Chicago' }), { by: 'test', kind: 'import' });
        // Master data later says New York: the stored day starts an hour after New York's midnight.
        await upsertUsagePoint(tx, { mRID: MOVED, commodity: 'electric', timeZone: 'America/New_York', connectionState: 'connected' });
      });
      const moved = request({ usagePoint: { mRID: MOVED }, readingTypes: [KWH_15] });
      const { events, quarantined } = await db().transaction((tx) => MDM_DETERMINANTS.workBatch([moved, request()], tx));
      expect(events).toHaveLength(1);
      expect(quarantined.map((record) => record.reason)).toEqual([
        `inconsistent-data: local day 2024-06-03 is stored as starting 2024-06-03T05:00:00.000Z, but starts 2024-06-03T04:00:00.000Z in America/New_York (billing_determinants.requested from ${CIS})`,
      ]);
    });

    it('throws on an event it is not subscribed to: a wiring bug, not bad input', async () => {
      const other = newEvent(EventType.BillingDeterminantsComputed, { usagePoint: { mRID: JUNE_USAGE_POINT }, periodStart: JUNE_START, periodEnd: JUNE_END, determinants: [], complete: true }, { source: '/mdm/billing' });
      await expect(db().transaction((tx) => MDM_DETERMINANTS.work(other, tx))).rejects.toThrow(/is billing_determinants\.computed, expected billing_determinants\.requested/);
    });
  },
  { migrated: true },
);
