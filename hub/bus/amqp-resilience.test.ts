/**
 * What the AMQP transport promises when things break: a TCP proxy between the bus and RabbitMQ
 * cuts the connection mid-stream; a hub restart leaves messages in the durable queue.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../canonical/envelope.js';
import { TransientError } from '../../canonical/errors.js';
import type { Bus } from './bus.js';
import type { BusOptions } from './create.js';
import { createBus } from './create.js';
import { AMQP_TEST_URL, skipWithoutBroker } from './testing/amqp-env.js';
import { BrokerJanitor } from './testing/amqp-janitor.js';
import { testEvent, uniqueName } from './testing/contract.js';
import { TcpProxy } from './testing/tcp-proxy.js';

const log = pino({ level: process.env.BUS_TEST_LOG ?? 'silent' }); // BUS_TEST_LOG=warn shows the reconnects
// Skipped (with the reason printed) when RabbitMQ is not reachable, except in CI where that fails.
const skip = await skipWithoutBroker();
const janitor = new BrokerJanitor();
const WAIT = { timeout: 20_000, interval: 20 };

describe.skipIf(skip)('amqp transport under failure', () => {
  let proxy: TcpProxy;
  const buses: Bus[] = [];

  beforeAll(async () => {
    const broker = new URL(AMQP_TEST_URL);
    proxy = await TcpProxy.start(broker.hostname, Number(broker.port || 5672));
  });
  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await proxy.close();
    await janitor.cleanup();
  });

  async function open(url: string, exchange: string, extra: Partial<Extract<BusOptions, { transport: 'amqp' }>> = {}): Promise<Bus> {
    const bus = await createBus({
      transport: 'amqp', url, exchange, connectTimeoutMs: 3000, reconnect: { initialDelayMs: 50, maxDelayMs: 200 }, drainTimeoutMs: 3000, ...extra,
    }, log);
    buses.push(bus);
    return bus;
  }

  it('delivers every confirmed publish after the connection drops mid-stream (dedupe by event id)', async () => {
    const exchange = janitor.exchange(uniqueName('busbar.test'));
    const bus = await open(proxy.urlFor(AMQP_TEST_URL), exchange);
    const received = new Set<string>();
    let deliveries = 0;
    await bus.subscribe(janitor.group(uniqueName('stream')), ['stream.#'], async (event) => {
      deliveries++;
      received.add(event.id);
    }, { concurrency: 64 });

    const total = 3000;
    const chunk = 50;
    const confirmed: string[] = [];
    const failed: unknown[] = [];
    const inFlight: Array<Promise<void>> = [];
    for (let sent = 0; sent < total; sent += chunk) {
      const events: CloudEvent[] = Array.from({ length: chunk }, (_, n) => testEvent('stream.reading', { n: sent + n }));
      // Individual publishes, not awaited one by one: many are unconfirmed when the cut comes.
      for (const event of events) inFlight.push(bus.publish(event).then(() => void confirmed.push(event.id), (error: unknown) => void failed.push(error)));
      if (sent === total / 2) {
        proxy.refuse(true);
        proxy.dropAll();
        // The outage: publishes made now are buffered until the reconnect.
        setTimeout(() => proxy.refuse(false), 300);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(inFlight);
    expect(failed).toEqual([]);
    expect(confirmed).toHaveLength(total);
    await expect.poll(() => confirmed.filter((id) => !received.has(id)).length, WAIT).toBe(0);
    expect(received.size).toBe(total);
    expect(deliveries).toBeGreaterThanOrEqual(total); // duplicates are allowed, losses are not
  });

  it('redelivers a message whose handler was running when the connection died, and never acks it on the new channel', async () => {
    const exchange = janitor.exchange(uniqueName('busbar.test'));
    const lines: string[] = [];
    const recording = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const bus = await createBus({
      transport: 'amqp', url: proxy.urlFor(AMQP_TEST_URL), exchange, reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    }, recording);
    buses.push(bus);
    const calls: Array<{ id: string; attempt: number }> = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstFinished = false;
    await bus.subscribe(janitor.group(uniqueName('midway')), ['job.*'], async (event, delivery) => {
      calls.push({ id: event.id, attempt: delivery.attempt });
      if (calls.length === 1) {
        await gate; // still working when the connection goes, and finishing after the reconnect
        firstFinished = true;
      }
    }, { concurrency: 1 });
    const job = testEvent('job.run');
    await bus.publish(job);
    await expect.poll(() => calls.length, WAIT).toBe(1);
    proxy.dropAll();
    // The broker requeued the unacked message; the new channel gets it while the old handler still runs.
    await expect.poll(() => calls.length, WAIT).toBe(2);
    expect(calls.map((c) => c.id)).toEqual([job.id, job.id]);
    release();
    await expect.poll(() => firstFinished, WAIT).toBe(true);
    await expect.poll(() => lines.some((line) => line.includes('not acking')), WAIT).toBe(true);
    // A stale delivery tag acked on the new channel would close it with PRECONDITION_FAILED; it still consumes.
    const next = testEvent('job.run');
    await bus.publish(next);
    await expect.poll(() => calls.map((c) => c.id), WAIT).toContain(next.id);
    expect(lines.some((line) => line.includes('PRECONDITION_FAILED'))).toBe(false);
  });

  it('keeps messages published while no consumer runs and hands them to a restarted hub', async () => {
    const exchange = janitor.exchange(uniqueName('busbar.test'));
    const group = janitor.group(uniqueName('resume'));
    const first = await open(AMQP_TEST_URL, exchange);
    const subscription = await first.subscribe(group, ['billing.#'], async () => {});
    await subscription.close();
    await first.close();

    const producer = await open(AMQP_TEST_URL, exchange);
    const events = Array.from({ length: 200 }, (_, n) => testEvent('billing.determinants_computed', { n }));
    await producer.publishBatch(events);
    await producer.close();

    const restarted = await open(AMQP_TEST_URL, exchange);
    const received = new Set<string>();
    await restarted.subscribe(group, ['billing.#'], async (event) => {
      received.add(event.id);
    });
    await expect.poll(() => received.size, WAIT).toBe(events.length);
    expect([...received].sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('reports an unreachable broker within the connect timeout, naming the host and not the password', async () => {
    const started = Date.now();
    const failure = await createBus({ transport: 'amqp', url: 'amqp://busbar:Sup3rSecret@127.0.0.1:1/', connectTimeoutMs: 2000 }, log).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(failure).toBeInstanceOf(TransientError);
    const message = failure instanceof Error ? failure.message : '';
    expect(message).toContain('127.0.0.1:1');
    expect(message).not.toContain('Sup3rSecret');
  });

  it('rejects ping with a TransientError while the broker is unreachable, and recovers', async () => {
    const bus = await open(proxy.urlFor(AMQP_TEST_URL), janitor.exchange(uniqueName('busbar.test')));
    proxy.refuse(true);
    proxy.dropAll();
    await expect.poll(async () => bus.ping().then(() => 'up', (error: unknown) => (error instanceof TransientError ? 'down' : 'other')), WAIT).toBe('down');
    proxy.refuse(false);
    await expect.poll(async () => bus.ping().then(() => 'up', () => 'down'), WAIT).toBe('up');
  });
});
