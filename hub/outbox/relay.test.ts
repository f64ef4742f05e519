import { pino } from 'pino';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createEnvelope, type CloudEvent } from '../../canonical/envelope.js';
import type { Delivery } from '../bus/bus.js';
import { openPostgres } from '../db/postgres.js';
import { describeEachDatabase } from '../db/testing/databases.js';
import { effectOnce } from './inbox.js';
import { countPendingEvents, enqueueEvents } from './outbox.js';
import { OutboxRelay } from './relay.js';
import { RecordingBus } from './testing/recording-bus.js';

const silent = pino({ level: 'silent' });

function capturingLog(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void written.push(line) });
  return { log, lines: () => written.map((line): Record<string, unknown> => JSON.parse(line)) };
}

function paymentReceived(n: number): CloudEvent {
  return createEnvelope({ type: 'payment.received', source: '/adapters/bank/lockbox', subject: `ACC-${n}`, data: { account: `ACC-${n}`, amount: `${n}.00` } });
}

describeEachDatabase(
  'outbox relay',
  ({ db, url }) => {
    const relays: OutboxRelay[] = [];
    function relayFor(bus: RecordingBus, options: ConstructorParameters<typeof OutboxRelay>[3] = {}, log = silent): OutboxRelay {
      const relay = new OutboxRelay(db(), bus, log, options);
      relays.push(relay);
      return relay;
    }
    async function commitEvents(count: number): Promise<CloudEvent[]> {
      const events = Array.from({ length: count }, (_unused, index) => paymentReceived(index));
      await db().transaction((tx) => enqueueEvents(tx, events));
      return events;
    }

    beforeEach(async () => {
      await db().exec('DELETE FROM hub.outbox; DELETE FROM hub.inbox');
    });
    afterEach(async () => {
      await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    });

    it('flush publishes everything pending in seq order, in batches, and empties the outbox', async () => {
      const events = await commitEvents(1_234);
      const bus = new RecordingBus();
      expect(await relayFor(bus, { batchSize: 500 }).flush()).toBe(1_234);
      expect(bus.published.map((event) => event.id)).toStrictEqual(events.map((event) => event.id));
      expect(bus.published[0]).toStrictEqual(events[0]);
      expect(await countPendingEvents(db())).toBe(0);
    });

    it('notify() publishes at once, without waiting for the poll', async () => {
      const bus = new RecordingBus();
      const relay = relayFor(bus, { pollIntervalMs: 60_000 });
      relay.start();
      // flush queues behind the first round, so the relay is idle afterwards.
      expect(await relay.flush()).toBe(0);
      const events = await commitEvents(3);
      relay.notify();
      await vi.waitFor(() => expect(bus.published.map((event) => event.id)).toStrictEqual(events.map((event) => event.id)), { timeout: 2_000 });
      expect(await countPendingEvents(db())).toBe(0);
    });

    it('the poll finds events nobody notified about (another process wrote them)', async () => {
      const bus = new RecordingBus();
      relayFor(bus, { pollIntervalMs: 30 }).start();
      const events = await commitEvents(2);
      await vi.waitFor(() => expect(bus.published).toHaveLength(2), { timeout: 2_000 });
      expect(bus.published.map((event) => event.id)).toStrictEqual(events.map((event) => event.id));
    });

    it('keeps the rows when the bus fails, logs the error, and retries with backoff until they are out', async () => {
      const events = await commitEvents(5);
      const bus = new RecordingBus();
      bus.failNext(3);
      const { log, lines } = capturingLog();
      relayFor(bus, { pollIntervalMs: 10, maxBackoffMs: 40 }, log).start();
      await vi.waitFor(() => expect(bus.failedAttempts).toBeGreaterThanOrEqual(1));
      expect(await countPendingEvents(db())).toBe(5);
      await vi.waitFor(() => expect(bus.published).toHaveLength(5), { timeout: 5_000 });
      expect(bus.failedAttempts).toBe(3);
      expect(bus.published.map((event) => event.id)).toStrictEqual(events.map((event) => event.id));
      expect(await countPendingEvents(db())).toBe(0);
      const failures = lines().filter((line) => line.level === 50);
      expect(failures).toHaveLength(3);
      expect(failures[0]).toMatchObject({ failures: 1, retryInMs: 20 });
      expect(JSON.stringify(failures[0])).toContain('broker unreachable (simulated)');
      expect(JSON.stringify(failures[0])).toContain('payment.received');
    });

    it('flush throws when the bus fails and leaves the events for the next start', async () => {
      await commitEvents(2);
      const bus = new RecordingBus();
      bus.failNext(1);
      await expect(relayFor(bus).flush()).rejects.toThrow(/publishing 2 events .*broker unreachable/);
      expect(await countPendingEvents(db())).toBe(2);
      expect(await relayFor(bus).flush()).toBe(2);
    });

    it('a publish whose confirmation is lost is published again, and the inbox absorbs the duplicate', async () => {
      await db().exec('CREATE TABLE IF NOT EXISTS public.ledger_entry (account text PRIMARY KEY, amount numeric NOT NULL)');
      await commitEvents(3);
      const bus = new RecordingBus();
      // The broker took the events, then the connection died before the commit (a crash would do the same).
      const publishBatch = bus.publishBatch.bind(bus);
      let lostConfirms = 1;
      bus.publishBatch = async (batch) => {
        await publishBatch(batch);
        if (lostConfirms-- > 0) throw new Error('connection lost before the publisher confirm');
      };
      const relay = relayFor(bus);
      await expect(relay.flush()).rejects.toThrow(/connection lost/);
      expect(await relay.flush()).toBe(3);
      expect(bus.published).toHaveLength(6);

      const post = effectOnce(db(), 'erp.ledger', async (event, tx) => {
        const account = event.subject ?? '';
        await tx.query('INSERT INTO public.ledger_entry VALUES ($1, $2)', [account, '1']);
      });
      const delivery: Delivery = { group: 'erp.ledger', attempt: 1, routingKey: 'payment.received' };
      for (const event of bus.published) await post(event, delivery);
      const entries = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM public.ledger_entry');
      expect(entries.rows[0]?.n).toBe(3);
    });

    it('two relays (two hub processes) publish every event once, in order', async () => {
      const events = await commitEvents(1_500);
      const bus = new RecordingBus();
      const connectionUrl = url();
      const otherDb = connectionUrl === undefined ? db() : await openPostgres({ url: connectionUrl, max: 2 }, silent);
      try {
        const first = relayFor(bus, { batchSize: 100 });
        const second = new OutboxRelay(otherDb, bus, silent, { batchSize: 100 });
        relays.push(second);
        await Promise.all([first.flush(), second.flush(), first.flush()]);
        await first.flush();
        expect(bus.published.map((event) => event.id)).toStrictEqual(events.map((event) => event.id));
      } finally {
        await Promise.all(relays.splice(0).map((relay) => relay.stop()));
        if (otherDb !== db()) await otherDb.close();
      }
    });

    it('publishes nothing after stop()', async () => {
      const bus = new RecordingBus();
      const relay = relayFor(bus, { pollIntervalMs: 10 });
      relay.start();
      await relay.stop();
      await commitEvents(1);
      relay.notify();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(bus.published).toHaveLength(0);
      expect(await countPendingEvents(db())).toBe(1);
    });
  },
  { migrated: true },
);
