import { beforeAll, beforeEach, expect, it } from 'vitest';
import { causedBy, createEnvelope, parseEnvelope, type CloudEvent } from '../../canonical/envelope.js';
import { ConfigError } from '../../canonical/errors.js';
import type { Delivery } from '../bus/bus.js';
import type { Queryable } from '../db/database.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { effectOnce, pruneInbox, wasProcessed } from './inbox.js';
import { countPendingEvents } from './outbox.js';

const CONSUMER = 'mdm.interval-store';
const delivery: Delivery = { group: CONSUMER, attempt: 1, routingKey: 'interval_block.received' };

function blockReceived(usagePoint: string): CloudEvent<{ usagePoint: string; kwh: string }> {
  return createEnvelope({ type: 'interval_block.received', source: '/adapters/cmep/feedA', subject: usagePoint, data: { usagePoint, kwh: '1.25' } });
}

describeEachDatabase(
  'inbox',
  ({ db }) => {
    beforeAll(async () => {
      await db().exec('CREATE TABLE public.stored_block (usage_point text NOT NULL, kwh numeric NOT NULL)');
    });
    beforeEach(async () => {
      await db().exec('DELETE FROM hub.inbox; DELETE FROM hub.outbox; DELETE FROM public.stored_block');
    });

    /** A consumer whose effect is a plain INSERT: running it twice would leave two rows. */
    function storeBlock(counter: { runs: number }, produce = false) {
      return async (event: CloudEvent, tx: Queryable) => {
        counter.runs += 1;
        await tx.query('INSERT INTO public.stored_block VALUES ($1, $2)', [event.subject, '1.25']);
        if (!produce) return;
        return [createEnvelope({ type: 'interval_block.validated', source: '/mdm', subject: event.subject, data: { ok: true }, ...causedBy(event) })];
      };
    }

    it('runs the work once when the same event is delivered twice', async () => {
      const counter = { runs: 0 };
      const handler = effectOnce(db(), CONSUMER, storeBlock(counter));
      const event = blockReceived('UP-1');
      await handler(event, delivery);
      await handler(event, { ...delivery, attempt: 2 });
      // A replayed file re-sends the same (source, id) in a fresh envelope object.
      await handler(parseEnvelope(JSON.parse(JSON.stringify(event))), delivery);
      expect(counter.runs).toBe(1);
      const stored = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM public.stored_block');
      expect(stored.rows[0]?.n).toBe(1);
      expect(await wasProcessed(db(), CONSUMER, event)).toBe(true);
    });

    it('tells consumers apart: another group processes the same event too', async () => {
      const counter = { runs: 0 };
      const event = blockReceived('UP-2');
      await effectOnce(db(), CONSUMER, storeBlock(counter))(event, delivery);
      await effectOnce(db(), 'erp.inventory', storeBlock(counter))(event, delivery);
      expect(counter.runs).toBe(2);
    });

    it('puts the events the work returns into the outbox in the same transaction, then notifies the relay', async () => {
      let notified = 0;
      const event = blockReceived('UP-3');
      await effectOnce(db(), CONSUMER, storeBlock({ runs: 0 }, true), { notify: () => (notified += 1) })(event, delivery);
      const outbox = await db().query<{ type: string; envelope: { causationid?: string } }>('SELECT type, envelope FROM hub.outbox');
      expect(outbox.rows).toHaveLength(1);
      expect(outbox.rows[0]?.type).toBe('interval_block.validated');
      expect(outbox.rows[0]?.envelope.causationid).toBe(event.id);
      expect(notified).toBe(1);
      await effectOnce(db(), CONSUMER, storeBlock({ runs: 0 }, true), { notify: () => (notified += 1) })(event, delivery);
      expect(await countPendingEvents(db())).toBe(1);
      expect(notified).toBe(1);
    });

    it('when the work throws, leaves no inbox row, no effect and no events, so the redelivery runs again', async () => {
      const event = blockReceived('UP-4');
      let attempts = 0;
      const handler = effectOnce(db(), CONSUMER, async (received, tx) => {
        attempts += 1;
        await tx.query('INSERT INTO public.stored_block VALUES ($1, $2)', [received.subject, '1.25']);
        if (attempts === 1) throw new Error('tariff service timed out');
        return [createEnvelope({ type: 'interval_block.validated', source: '/mdm', data: {} })];
      });
      await expect(handler(event, delivery)).rejects.toThrow('tariff service timed out');
      expect(await wasProcessed(db(), CONSUMER, event)).toBe(false);
      expect((await db().query('SELECT 1 FROM public.stored_block')).rowCount).toBe(0);
      expect(await countPendingEvents(db())).toBe(0);

      await handler(event, { ...delivery, attempt: 2 });
      expect(attempts).toBe(2);
      expect(await wasProcessed(db(), CONSUMER, event)).toBe(true);
      expect((await db().query('SELECT 1 FROM public.stored_block')).rowCount).toBe(1);
      expect(await countPendingEvents(db())).toBe(1);
    });

    it('rolls back the effect and the inbox row when a returned event is malformed', async () => {
      const event = blockReceived('UP-5');
      const handler = effectOnce(db(), CONSUMER, async (received, tx) => {
        await tx.query('INSERT INTO public.stored_block VALUES ($1, $2)', [received.subject, '1.25']);
        return [{ ...createEnvelope({ type: 'interval_block.validated', source: '/mdm', data: {} }), id: '' }];
      });
      await expect(handler(event, delivery)).rejects.toThrow(/cannot go to the outbox/);
      expect(await wasProcessed(db(), CONSUMER, event)).toBe(false);
      expect((await db().query('SELECT 1 FROM public.stored_block')).rowCount).toBe(0);
    });

    it('concurrent deliveries of one event run the work once', async () => {
      const counter = { runs: 0 };
      const handler = effectOnce(db(), CONSUMER, storeBlock(counter));
      const event = blockReceived('UP-6');
      await Promise.all([handler(event, delivery), handler(event, delivery), handler(event, delivery)]);
      expect(counter.runs).toBe(1);
    });

    it('prunes inbox rows older than the retention, keeping recent ones', async () => {
      await db().query(
        "INSERT INTO hub.inbox (consumer, event_source, event_id, processed_at) VALUES ($1, 's', 'old', now() - interval '40 days'), ($1, 's', 'new', now() - interval '2 days')",
        [CONSUMER],
      );
      expect(await pruneInbox(db(), 30)).toBe(1);
      const left = await db().query<{ event_id: string }>('SELECT event_id FROM hub.inbox');
      expect(left.rows).toStrictEqual([{ event_id: 'new' }]);
      await expect(pruneInbox(db(), 0)).rejects.toBeInstanceOf(ConfigError);
    });
  },
  { migrated: true },
);
