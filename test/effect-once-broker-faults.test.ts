/**
 * Effect-once processing when RabbitMQ connections break or a hub restarts (DESIGN.md, Bus;
 * STYLE.md: "a broker restart in the middle, nothing lost"). RabbitMQ on PostgreSQL only: the
 * memory bus has no connection to lose and keeps nothing across a restart.
 *
 * The ledger story is the one of effect-once.test.ts (testing/payment-ledger.ts): payments and
 * their events committed together, relayed from the outbox, posted through effectOnce.
 */
import { connect } from 'amqplib';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../hub/bus/bus.js';
import { DEFAULT_QUEUE_PREFIX } from '../hub/bus/amqp.js';
import { groupQueues } from '../hub/bus/amqp-topology.js';
import { createBus } from '../hub/bus/create.js';
import { AMQP_TEST_URL, skipWithoutBroker } from '../hub/bus/testing/amqp-env.js';
import { BrokerJanitor } from '../hub/bus/testing/amqp-janitor.js';
import { TcpProxy } from '../hub/bus/testing/tcp-proxy.js';
import { uniqueName } from '../hub/bus/testing/test-events.js';
import type { Database } from '../hub/db/database.js';
import { openPostgres } from '../hub/db/postgres.js';
import { describeEachDatabase } from '../hub/db/testing/databases.js';
import { OutboxRelay } from '../hub/outbox/relay.js';
import { PaymentLedger } from './testing/payment-ledger.js';

const silent = pino({ level: process.env.BUS_TEST_LOG ?? 'silent' });
const brokerMissing = await skipWithoutBroker();
const janitor = new BrokerJanitor();
const WAIT = { timeout: 25_000, interval: 50 };

afterAll(async () => {
  if (!brokerMissing) await janitor.cleanup();
});

/** The bus's log lines, parsed: what the transport says it did is the outage's evidence. */
function recordingLog() {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const entries = (message: string): Array<Record<string, unknown>> =>
    lines.map((line): Record<string, unknown> => JSON.parse(line)).filter((entry) => entry.msg === message);
  return { log, entries };
}

/** Ready messages left in a group's queue (unacked ones return there when their channel closes). */
async function queuedMessages(group: string): Promise<number> {
  const connection = await connect(AMQP_TEST_URL);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(groupQueues(DEFAULT_QUEUE_PREFIX, group).queue)).messageCount;
  } finally {
    await connection.close();
  }
}

describeEachDatabase('effect-once through RabbitMQ failures', ({ kind, db, url }) => {
  describe.skipIf(kind !== 'postgres' || brokerMissing)(kind === 'postgres' ? 'amqp bus' : 'amqp bus (paired with PostgreSQL only)', () => {
    let proxy: TcpProxy;
    const buses: Bus[] = [];
    const relays: OutboxRelay[] = [];
    const pools: Database[] = [];

    beforeAll(async () => {
      const broker = new URL(AMQP_TEST_URL);
      proxy = await TcpProxy.start(broker.hostname, Number(broker.port || 5672));
    });
    afterEach(async () => {
      proxy.refuse(false);
      await Promise.all(relays.splice(0).map((relay) => relay.stop()));
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
      await Promise.all(pools.splice(0).map((pool) => pool.close()));
    });
    afterAll(async () => {
      await proxy?.close();
    });

    async function openBus(brokerUrl: string, exchange: string, log = silent): Promise<Bus> {
      const bus = await createBus({
        transport: 'amqp', url: brokerUrl, exchange, connectTimeoutMs: 3_000, reconnect: { initialDelayMs: 50, maxDelayMs: 200 }, drainTimeoutMs: 5_000,
      }, log);
      buses.push(bus);
      return bus;
    }

    function startRelay(publisher: Pick<Bus, 'publishBatch' | 'whenWritable'>, batchSize: number): OutboxRelay {
      const relay = new OutboxRelay(db(), publisher, silent, { pollIntervalMs: 20, batchSize, maxBackoffMs: 200 });
      relays.push(relay);
      relay.start();
      return relay;
    }

    it('posts every payment exactly once when the connections are cut while the relay publishes and the consumer consumes', async () => {
      const total = 3_000;
      const batchSize = 500;
      const cutAtBatch = 3;
      const { log, entries } = recordingLog();
      const ledger = await PaymentLedger.create(db(), 'erp-ledger-cut');
      const bus = await openBus(proxy.urlFor(AMQP_TEST_URL), janitor.exchange(uniqueName('busbar.e2e')), log);

      // The cut comes from inside a running posting (so that delivery is certainly unacked) while
      // the relay holds a batch it has just handed to the bus (so those publishes are unconfirmed).
      let relayWaiting = false;
      let cutNow: () => void = () => {};
      const cutSignal = new Promise<void>((resolve) => (cutNow = resolve));
      // Only if the consumer finished what was published before the relay got there (not expected).
      const fallback = setTimeout(() => cutNow(), 10_000);
      await bus.subscribe(janitor.group(ledger.group), ['payment.*'], ledger.handler(db(), {
        onWork: (runs) => {
          if (relayWaiting && runs >= total / 10) cutNow();
        },
      }), { concurrency: 16 });

      let batches = 0;
      let cut: { socketsCut: number; postedBefore: number } | undefined;
      startRelay({
        whenWritable: () => bus.whenWritable(),
        publishBatch: async (events) => {
          batches += 1;
          if (batches !== cutAtBatch) return bus.publishBatch(events);
          relayWaiting = true;
          await cutSignal;
          clearTimeout(fallback);
          const confirmed = bus.publishBatch(events);
          cut = { socketsCut: proxy.openSockets, postedBefore: ledger.workRuns };
          proxy.refuse(true);
          proxy.dropAll();
          setTimeout(() => proxy.refuse(false), 300);
          return confirmed;
        },
      }, batchSize);
      await ledger.recordPayments(db(), ledger.paymentEvents(total));

      await expect.poll(() => ledger.entryCount(db()), WAIT).toBeGreaterThanOrEqual(total);
      await expect.poll(async () => (await ledger.counts(db())).outbox, WAIT).toBe(0);
      // Graceful close: handlers in flight finish; whatever is unacked goes back to the queue.
      await bus.close();

      expect(await ledger.counts(db())).toEqual({ payments: total, entries: total, postedEvents: total, inbox: total, outbox: 0 });
      expect(ledger.workRuns).toBe(total);
      expect(await queuedMessages(ledger.group)).toBe(0);

      // The outage happened mid-stream: live connections were cut with part of the stream posted...
      expect(cut?.socketsCut).toBeGreaterThan(0);
      expect(cut?.postedBefore).toBeGreaterThan(0);
      expect(cut?.postedBefore).toBeLessThan(total);
      // ...both connections (publishing, consuming) were lost and re-established...
      expect(entries('lost the AMQP connection; reconnecting').length).toBeGreaterThanOrEqual(2);
      expect(entries('AMQP connection re-established').length).toBeGreaterThanOrEqual(2);
      // ...the unconfirmed publishes were sent again...
      const resent = entries('AMQP publisher channel closed with unconfirmed publishes; they will be sent again');
      expect(resent.reduce((sum, entry) => sum + Number(entry.count), 0)).toBeGreaterThan(0);
      // ...and unacked deliveries came back: the inbox absorbed each second delivery.
      expect(entries('AMQP consumer channel closed; unacked deliveries will be redelivered').length).toBeGreaterThan(0);
      expect(ledger.deliveries).toBeGreaterThan(total);
      expect(ledger.failures).toEqual([]);
    });

    it('a restarted consumer takes over the stream a stopped one left, while another bus keeps publishing: every payment posted once', async () => {
      const total = 2_000;
      const batchSize = 200;
      const exchange = janitor.exchange(uniqueName('busbar.e2e'));
      const ledger = await PaymentLedger.create(db(), 'erp-ledger-restart');
      const producer = await openBus(AMQP_TEST_URL, exchange);

      let stopFirst: () => void = () => {};
      const firstStopping = new Promise<void>((resolve) => (stopFirst = resolve));
      const firstHub = await openBus(AMQP_TEST_URL, exchange);
      await firstHub.subscribe(janitor.group(ledger.group), ['payment.*'], ledger.handler(db(), {
        postedBy: 'first',
        onWork: (runs) => {
          if (runs >= total / 5) stopFirst();
        },
      }), { concurrency: 4 });

      let published = 0;
      let publishedWhenStopping = -1;
      startRelay({
        whenWritable: () => producer.whenWritable(),
        publishBatch: async (events) => {
          // Part of the stream goes out before the stop, the rest while and after the first hub stops.
          if (published >= 3 * batchSize) await firstStopping;
          await producer.publishBatch(events);
          published += events.length;
        },
      }, batchSize);
      await ledger.recordPayments(db(), ledger.paymentEvents(total));

      await firstStopping;
      publishedWhenStopping = published;
      await firstHub.close();
      const postedByFirst = ledger.workRuns;

      // The restarted hub: a new bus and its own pool on the same database, the same group.
      const connectionUrl = url();
      if (connectionUrl === undefined) throw new Error('the PostgreSQL variant has a database URL');
      const secondDb = await openPostgres({ url: connectionUrl, max: 4 }, silent);
      pools.push(secondDb);
      const secondHub = await openBus(AMQP_TEST_URL, exchange);
      await secondHub.subscribe(ledger.group, ['payment.*'], ledger.handler(secondDb, { postedBy: 'second' }), { concurrency: 4 });

      await expect.poll(() => ledger.entryCount(db()), WAIT).toBeGreaterThanOrEqual(total);
      await expect.poll(async () => (await ledger.counts(db())).outbox, WAIT).toBe(0);
      await secondHub.close();

      expect(await ledger.counts(db())).toEqual({ payments: total, entries: total, postedEvents: total, inbox: total, outbox: 0 });
      expect(ledger.workRuns).toBe(total);
      expect(await queuedMessages(ledger.group)).toBe(0);
      const postedBy = (await ledger.entries(db())).reduce<Record<string, number>>((counts, row) => ({ ...counts, [row.posted_by]: (counts[row.posted_by] ?? 0) + 1 }), {});
      // The first hub stopped mid-stream, with events still to publish, and posted nothing after close() resolved.
      expect(publishedWhenStopping).toBeLessThan(total);
      expect(postedBy.first).toBe(postedByFirst);
      expect(postedByFirst).toBeGreaterThan(0);
      expect(postedByFirst).toBeLessThan(total);
      expect(postedBy.second).toBe(total - postedByFirst);
      expect(ledger.failures).toEqual([]);
    });
  });
}, { migrated: true });
