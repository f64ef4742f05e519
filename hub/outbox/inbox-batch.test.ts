import { beforeAll, beforeEach, expect, it } from 'vitest';
import { causedBy, createEnvelope, type CloudEvent } from '../../canonical/envelope.js';
import type { Delivery } from '../bus/bus.js';
import type { Queryable } from '../db/database.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { effectOnceBatched } from './inbox-batch.js';
import { wasProcessed } from './inbox.js';
import { countPendingEvents } from './outbox.js';

const CONSUMER = 'mdm.batch-test';
const delivery: Delivery = { group: CONSUMER, attempt: 1, routingKey: 'interval_block.received' };

function blockReceived(usagePoint: string): CloudEvent<{ usagePoint: string }> {
  return createEnvelope({ type: 'interval_block.received', source: '/adapters/cmep/feedA', subject: usagePoint, data: { usagePoint } });
}

describeEachDatabase(
  'inbox in batches',
  ({ db }) => {
    beforeAll(async () => {
      await db().exec('CREATE TABLE public.batched_block (usage_point text NOT NULL)');
    });
    beforeEach(async () => {
      await db().exec('DELETE FROM hub.inbox; DELETE FROM hub.outbox; DELETE FROM public.batched_block');
    });

    /** Counts runs and batch sizes; refuses any usage point named POISON, alone or in a batch. */
    function recorder() {
      const seen = { single: 0, batches: [] as number[] };
      const insert = async (events: readonly CloudEvent[], tx: Queryable) => {
        if (events.some((event) => event.subject === 'POISON')) throw new Error('poison event');
        await tx.query('INSERT INTO public.batched_block SELECT unnest($1::text[])', [events.map((event) => event.subject)]);
        return events.map((event) => createEnvelope({ type: 'interval_block.validated', source: '/mdm', subject: event.subject, data: {}, ...causedBy(event) }));
      };
      return {
        seen,
        work: async (event: CloudEvent, tx: Queryable) => {
          seen.single += 1;
          return insert([event], tx);
        },
        workBatch: async (events: readonly CloudEvent[], tx: Queryable) => {
          seen.batches.push(events.length);
          return insert(events, tx);
        },
      };
    }

    async function storedCount(): Promise<number> {
      const result = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM public.batched_block');
      return result.rows[0]?.n ?? -1;
    }

    it('commits the deliveries of one turn in one batch, and later ones in batches of at most maxBatch', async () => {
      const { seen, work, workBatch } = recorder();
      let notified = 0;
      const handler = effectOnceBatched(db(), CONSUMER, work, workBatch, { notify: () => (notified += 1) }, { maxBatch: 40 });
      const events = Array.from({ length: 100 }, (_, index) => blockReceived(`UP-${index}`));
      await Promise.all(events.map((event) => handler(event, delivery)));
      expect(seen.batches).toEqual([40, 40, 20]);
      expect(seen.single).toBe(0);
      expect(await storedCount()).toBe(100);
      expect(await countPendingEvents(db())).toBe(100);
      expect(notified).toBe(3);
    });

    it('changes nothing for a redelivered event, within a batch or in a later one', async () => {
      const { seen, work, workBatch } = recorder();
      const handler = effectOnceBatched(db(), CONSUMER, work, workBatch);
      const first = blockReceived('UP-A');
      const second = blockReceived('UP-B');
      await Promise.all([handler(first, delivery), handler(first, delivery), handler(second, delivery)]);
      await Promise.all([handler(first, { ...delivery, attempt: 2 }), handler(second, delivery)]);
      expect(seen.batches).toEqual([2]);
      expect(await storedCount()).toBe(2);
      expect(await wasProcessed(db(), CONSUMER, second)).toBe(true);
    });

    it('runs the events of a failed batch alone, so only the bad one is rejected and none is applied twice', async () => {
      const { seen, work, workBatch } = recorder();
      const failures: number[] = [];
      const handler = effectOnceBatched(db(), CONSUMER, work, workBatch, undefined, { onBatchFailure: (_error, size) => failures.push(size) });
      const events = ['UP-1', 'UP-2', 'POISON', 'UP-3'].map(blockReceived);
      const outcomes = await Promise.allSettled(events.map((event) => handler(event, delivery)));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(failures).toEqual([4]);
      expect(seen.single).toBe(4);
      expect(await storedCount()).toBe(3);
      expect(await wasProcessed(db(), CONSUMER, events[2] as CloudEvent)).toBe(false);
      // The bus retries the poison event: it fails again, alone, and still nothing else is repeated.
      await expect(handler(events[2] as CloudEvent, { ...delivery, attempt: 2 })).rejects.toThrow('poison event');
      expect(await storedCount()).toBe(3);
    });

    it('commits up to `parallel` batches at once', async () => {
      const { seen, work, workBatch } = recorder();
      const handler = effectOnceBatched(db(), CONSUMER, work, workBatch, undefined, { maxBatch: 10, parallel: 2 });
      const events = Array.from({ length: 50 }, (_, index) => blockReceived(`UP-${index}`));
      await Promise.all(events.map((event) => handler(event, delivery)));
      expect(seen.batches.reduce((sum, size) => sum + size, 0)).toBe(50);
      expect(Math.max(...seen.batches)).toBeLessThanOrEqual(10);
      expect(await storedCount()).toBe(50);
    });
  },
  { migrated: true },
);
