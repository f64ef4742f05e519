/**
 * Effect-once processing end to end (DESIGN.md, Bus): producer → outbox → relay → bus → consumer
 * with inbox, on both pairings the hub runs with: the embedded memory bus on PGlite, and
 * RabbitMQ on PostgreSQL. The broker failure cases live in effect-once-broker-faults.test.ts.
 *
 * Locally a missing RabbitMQ or PostgreSQL skips its pairing with the reason printed; under
 * CI=true it fails (amqp-env.ts, databases.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Bus, SubscribeOptions } from '../hub/bus/bus.js';
import { createBus } from '../hub/bus/create.js';
import { AMQP_TEST_URL, skipWithoutBroker } from '../hub/bus/testing/amqp-env.js';
import { BrokerJanitor } from '../hub/bus/testing/amqp-janitor.js';
import { uniqueName } from '../hub/bus/testing/test-events.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { enqueueEvents } from '../hub/outbox/outbox.js';
import { OutboxRelay } from '../hub/outbox/relay.js';
import { PaymentLedger, type PaymentEvent, type PostingOptions } from './testing/payment-ledger.js';

const log = pino({ level: process.env.BUS_TEST_LOG ?? 'silent' });
const brokerMissing = await skipWithoutBroker();
const janitor = new BrokerJanitor();
const WAIT = { timeout: 20_000, interval: 25 };
/** Tiny, so that the retries of the dead-letter case take milliseconds. */
const MAX_RETRIES = 2;
const RETRY: SubscribeOptions = { maxRetries: MAX_RETRIES, retryDelayMs: 10 };
const STREAM = 500;

afterAll(async () => {
  if (!brokerMissing) await janitor.cleanup();
});

describeEachDatabase('effect-once end to end', ({ kind, db }) => {
  // The hub's two pairings: embedded (memory bus, PGlite) and production (RabbitMQ, PostgreSQL).
  const transport = kind === 'pglite' ? 'memory' : 'amqp';

  describe.skipIf(transport === 'amqp' && brokerMissing)(`${transport} bus`, () => {
    const buses: Bus[] = [];
    const relays: OutboxRelay[] = [];
    afterEach(async () => {
      await Promise.all(relays.splice(0).map((relay) => relay.stop()));
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });

    async function openBus(): Promise<Bus> {
      const bus = transport === 'memory'
        ? await createBus({ transport: 'memory', freezeEvents: true }, log)
        : await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange: janitor.exchange(uniqueName('busbar.e2e')), drainTimeoutMs: 5_000 }, log);
      buses.push(bus);
      return bus;
    }

    /** A consumer group subscribed (so that the broker keeps its events) and a running relay. */
    async function startPipeline(label: string, posting: PostingOptions = {}) {
      const ledger = await PaymentLedger.create(db(), label);
      const bus = await openBus();
      await bus.subscribe(janitor.group(ledger.group), ['payment.*'], ledger.handler(db(), posting), { concurrency: 16, ...RETRY });
      const relay = new OutboxRelay(db(), bus, log, { pollIntervalMs: 20, batchSize: 200 });
      relays.push(relay);
      relay.start();
      return { ledger, bus, relay };
    }

    async function produce(ledger: PaymentLedger, relay: OutboxRelay, events: readonly PaymentEvent[]): Promise<void> {
      await ledger.recordPayments(db(), events);
      relay.notify();
    }

    /** At least `expected` effect rows; the exact counts are asserted afterwards, so a duplicate fails fast. */
    async function waitForEntries(ledger: PaymentLedger, expected: number): Promise<void> {
      await expect.poll(() => ledger.entryCount(db()), WAIT).toBeGreaterThanOrEqual(expected);
    }

    it(`moves ${STREAM} events from the producer's transaction to one effect each, and a failed producer transaction leaves nothing`, async () => {
      const { ledger, relay } = await startPipeline('erp-ledger');

      const doomed = ledger.paymentEvents(5, 10_000);
      await expect(ledger.recordPayments(db(), doomed, new Error('lockbox file total does not match'))).rejects.toThrow('lockbox file total does not match');
      relay.notify();
      expect(await ledger.counts(db())).toMatchObject({ payments: 0, outbox: 0 });

      const events = ledger.paymentEvents(STREAM);
      await produce(ledger, relay, events);
      await waitForEntries(ledger, STREAM);
      await expect.poll(async () => (await ledger.counts(db())).outbox, WAIT).toBe(0);
      await sleep(100); // a duplicate or a stray event would arrive by now

      expect(await ledger.counts(db())).toEqual({ payments: STREAM, entries: STREAM, postedEvents: STREAM, inbox: STREAM, outbox: 0 });
      expect((await ledger.entries(db())).map((row) => row.event_id)).toEqual(events.map((event) => event.id).sort());
      expect(ledger.workRuns).toBe(STREAM);
      // Nothing of the rolled-back transaction reached the bus (the relay publishes in seq order, so it would have come first).
      for (const event of doomed) expect(ledger.attempts.has(event.id)).toBe(false);
      expect(ledger.firstDeliveries).toBe(STREAM);
      expect(ledger.failures).toEqual([]);
    });

    it('hands events to the consumer outside the relay\'s transaction, so effectOnce succeeds on the first attempt', async () => {
      // The relay publishes inside its database transaction. A transport that ran the handler in
      // the publisher's async context would make effectOnce's own transaction look nested
      // (TransactionGuard) and fail: each event would burn a retry, or be dead-lettered with maxRetries 0.
      const { ledger, relay } = await startPipeline('erp-ledger-context');
      await produce(ledger, relay, ledger.paymentEvents(50));
      await waitForEntries(ledger, 50);
      expect([...new Set(ledger.failures)]).toEqual([]);
      expect(ledger.deliveries).toBe(50);
    });

    it('changes nothing when the very same events are published again, by the bus or by the outbox', async () => {
      const { ledger, bus, relay } = await startPipeline('erp-ledger-replay');
      const events = ledger.paymentEvents(STREAM);
      await produce(ledger, relay, events);
      await waitForEntries(ledger, STREAM);
      await expect.poll(async () => (await ledger.counts(db())).outbox, WAIT).toBe(0);

      // A replayed queue: the same envelopes (same source and id) published straight to the bus.
      await bus.publishBatch(events);
      // A producer that retried after an unclear commit: the same events through the outbox again.
      await db().transaction((tx) => enqueueEvents(tx, events));
      relay.notify();
      await expect.poll(() => ledger.firstDeliveries, WAIT).toBe(3 * STREAM);
      await expect.poll(async () => (await ledger.counts(db())).outbox, WAIT).toBe(0);
      await sleep(100);

      expect(await ledger.counts(db())).toEqual({ payments: STREAM, entries: STREAM, postedEvents: STREAM, inbox: STREAM, outbox: 0 });
      expect(ledger.workRuns).toBe(STREAM);
      expect([...ledger.attempts.values()].every((attempts) => attempts.filter((attempt) => attempt === 1).length === 3)).toBe(true);
    });

    it('retries an event whose posting fails, dead-letters it without its effect, and posts it once after the fix and a replay', async () => {
      let fixed = false;
      let poisonRuns = 0;
      const events: PaymentEvent[] = [];
      const poisonIndex = 7;
      const { ledger, bus, relay } = await startPipeline('erp-ledger-poison', {
        refuse: (event) => {
          if (event.id !== events[poisonIndex]?.id) return undefined;
          poisonRuns += 1;
          return fixed ? undefined : `account ${event.subject ?? '?'} is closed in the ledger`;
        },
      });
      events.push(...ledger.paymentEvents(20));
      const poison = events[poisonIndex];
      if (poison === undefined) throw new Error('test setup: no poison event');
      await produce(ledger, relay, events);

      await expect.poll(async () => (await bus.deadLetters.list(ledger.group)).length, WAIT).toBe(1);
      await waitForEntries(ledger, events.length - 1);
      const [letter] = await bus.deadLetters.list(ledger.group);
      expect(letter).toMatchObject({ id: poison.id, group: ledger.group, reason: 'account ACC-7 is closed in the ledger', attempts: MAX_RETRIES + 1 });
      expect(letter?.event).toEqual(poison);
      expect(ledger.attempts.get(poison.id)).toEqual([1, 2, 3]);
      // Each failed run wrote its entry before throwing; the rollback took the entry and the inbox claim with it.
      expect(poisonRuns).toBe(MAX_RETRIES + 1);
      expect(ledger.workRuns).toBe(events.length - 1 + MAX_RETRIES + 1);
      expect(await ledger.counts(db())).toEqual({ payments: 20, entries: 19, postedEvents: 19, inbox: 19, outbox: 0 });
      expect((await ledger.entries(db())).some((row) => row.event_id === poison.id)).toBe(false);

      fixed = true;
      expect(await bus.deadLetters.replay(ledger.group)).toBe(1);
      await waitForEntries(ledger, events.length);
      expect(await bus.deadLetters.replay(ledger.group)).toBe(0);
      await bus.publish(poison); // and once more by hand: the inbox has it now
      await expect.poll(() => ledger.attempts.get(poison.id)?.length, WAIT).toBe(5);
      await sleep(100);

      expect(ledger.attempts.get(poison.id)).toEqual([1, 2, 3, 1, 1]);
      expect(poisonRuns).toBe(MAX_RETRIES + 2); // the replay ran the fixed work; the hand-published copy stopped at the inbox
      expect(await ledger.counts(db())).toEqual({ payments: 20, entries: 20, postedEvents: 20, inbox: 20, outbox: 0 });
      expect((await ledger.entries(db())).filter((row) => row.event_id === poison.id)).toHaveLength(1);
      expect(await bus.deadLetters.list(ledger.group)).toEqual([]);
    });
  });
}, { migrated: true });
