import { beforeAll, beforeEach, expect, it } from 'vitest';
import { createEnvelope, type CloudEvent } from '../../canonical/envelope.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { countPendingEvents, enqueueEvents, lockPendingEvents } from './outbox.js';

function readingReceived(usagePoint: string, kwh: string): CloudEvent<{ usagePoint: string; kwh: string }> {
  return createEnvelope({ type: 'interval_block.received', source: '/adapters/cmep/feedA', subject: usagePoint, data: { usagePoint, kwh } });
}

describeEachDatabase(
  'outbox',
  ({ db }) => {
    beforeAll(async () => {
      await db().exec('CREATE TABLE public.reading (usage_point text PRIMARY KEY, kwh numeric NOT NULL)');
    });
    beforeEach(async () => {
      await db().exec('DELETE FROM hub.outbox; DELETE FROM public.reading');
    });

    it('commits the state change and its events together', async () => {
      const event = readingReceived('UP-1', '12.5');
      await db().transaction(async (tx) => {
        await tx.query('INSERT INTO public.reading VALUES ($1, $2)', ['UP-1', '12.5']);
        expect(await enqueueEvents(tx, [event])).toBe(1);
      });
      const rows = await db().query<{ event_id: string; source: string; type: string; envelope: unknown; created_at: unknown }>(
        'SELECT event_id, source, type, envelope, created_at FROM hub.outbox',
      );
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]).toMatchObject({ event_id: event.id, source: event.source, type: event.type, envelope: event });
      expect(rows.rows[0]?.created_at).toBeInstanceOf(Date);
      expect((await db().query('SELECT 1 FROM public.reading')).rowCount).toBe(1);
    });

    it('rolls back the state change and its events together', async () => {
      await expect(
        db().transaction(async (tx) => {
          await tx.query('INSERT INTO public.reading VALUES ($1, $2)', ['UP-2', '3']);
          await enqueueEvents(tx, [readingReceived('UP-2', '3')]);
          throw new Error('validation failed after the write');
        }),
      ).rejects.toThrow('validation failed after the write');
      expect((await db().query('SELECT 1 FROM public.reading')).rowCount).toBe(0);
      expect(await countPendingEvents(db())).toBe(0);
    });

    it('writes large batches in statements of 1,000 rows, keeping the order in seq', async () => {
      const events = Array.from({ length: 2_345 }, (_unused, index) => readingReceived(`UP-${index}`, String(index)));
      const written = await db().transaction((tx) => enqueueEvents(tx, events));
      expect(written).toBe(2_345);
      const stored = await db().query<{ event_id: string }>('SELECT event_id FROM hub.outbox ORDER BY seq');
      expect(stored.rows.map((row) => row.event_id)).toStrictEqual(events.map((event) => event.id));
    });

    it('does nothing for an empty list', async () => {
      expect(await db().transaction((tx) => enqueueEvents(tx, []))).toBe(0);
    });

    it('refuses a malformed envelope, naming its index, so the whole transaction fails', async () => {
      const bad = { ...readingReceived('UP-3', '1'), time: 'yesterday' };
      await expect(
        db().transaction(async (tx) => {
          await tx.query('INSERT INTO public.reading VALUES ($1, $2)', ['UP-3', '1']);
          await enqueueEvents(tx, [readingReceived('UP-4', '1'), bad]);
        }),
      ).rejects.toThrow(/event 1 \(interval_block\.received .*\).*time/);
      expect((await db().query('SELECT 1 FROM public.reading')).rowCount).toBe(0);
      expect(await countPendingEvents(db())).toBe(0);
    });

    it('reads pending rows back as parsed events in seq order', async () => {
      const events = [readingReceived('UP-5', '1'), readingReceived('UP-6', '2')];
      await db().transaction((tx) => enqueueEvents(tx, events));
      const pending = await db().transaction((tx) => lockPendingEvents(tx, 10));
      expect(pending.map((row) => row.event)).toStrictEqual(events);
      expect(pending.every((row) => typeof row.seq === 'string')).toBe(true);
    });
  },
  { migrated: true },
);
