/**
 * `npm run bench -- bus [--transport memory|amqp|both] [--events N] [--batch B] [--window W]`
 *
 * Publishes 1 KB canonical `interval_block.received` events (a few hours of 15-minute kWh
 * values) and consumes them in one consumer group, through the memory transport and through
 * RabbitMQ with publisher confirms and persistent messages (batched publishing). Prints events/s,
 * the p50/p99 latency from publishBatch to the handler, and the peak RSS of the process.
 * At most `window` events are in flight at once, so latency measures the bus, not a backlog.
 * The memory transport runs twice: as configured by default, and with `bus.freezeEvents`.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { CloudEvent } from '../canonical/envelope.js';
import { EventType, newEvent, ReadingTypeCodes } from '../canonical/index.js';
import type { Bus } from '../hub/bus/bus.js';
import { createBus } from '../hub/bus/create.js';
import { AMQP_TEST_URL } from '../hub/bus/testing/amqp-env.js';
import { BrokerJanitor } from '../hub/bus/testing/amqp-janitor.js';
import { uniqueName } from '../hub/bus/testing/test-events.js';
import { formatRate, percentile, trackPeakRss } from './measure.js';

/** The extension attribute that carries the publish instant (CloudEvents: a-z0-9, ≤ 20 chars). */
const SENT_AT = 'benchsentat';

interface Run {
  transport: 'memory' | 'amqp';
  /** memory transport: deep-freeze events on publish (bus.freezeEvents). */
  freeze: boolean;
  events: number;
  batch: number;
  window: number;
}

function intervalBlockEvent(meter: number): CloudEvent {
  const values = Array.from({ length: 56 }, (_, n) => ((meter * 7 + n * 13) % 997 / 1000).toFixed(3));
  return newEvent(
    EventType.IntervalBlockReceived,
    {
      usagePoint: { name: `UP-${meter}`, nameType: 'bench' },
      meter: { name: `M-${meter}`, nameType: 'bench' },
      readingType: ReadingTypeCodes.IntervalKwhForward15Min,
      start: '2026-11-01T00:00:00Z',
      intervalSeconds: 900,
      values,
      qualities: values.map(() => []),
    },
    { source: '/bench/bus', subject: `UP-${meter}` },
  );
}

async function measure(bus: Bus, group: string, run: Run): Promise<{ seconds: number; latencies: Float64Array }> {
  const template = Array.from({ length: run.batch }, (_, n) => intervalBlockEvent(n));
  const latencies = new Float64Array(run.events);
  let consumed = 0;
  let wake: () => void = () => {};
  const progressed = (): Promise<void> => new Promise((resolve) => (wake = resolve));

  await bus.subscribe(group, ['interval_block.*'], async (event) => {
    const sentAt = Reflect.get(event, SENT_AT);
    latencies[consumed++] = typeof sentAt === 'number' ? performance.now() - sentAt : Number.NaN;
    wake();
  }, { concurrency: run.transport === 'amqp' ? 500 : 256 });

  const started = performance.now();
  let published = 0;
  while (published < run.events) {
    while (published - consumed >= run.window) await progressed();
    const size = Math.min(run.batch, run.events - published);
    // Published events are frozen: each batch gets new envelopes around the (shared) payloads.
    const now = performance.now();
    const batch: CloudEvent[] = new Array<CloudEvent>(size);
    for (let n = 0; n < size; n++) batch[n] = { ...(template[n] ?? template[0]!), [SENT_AT]: now } as CloudEvent;
    await bus.publishBatch(batch);
    published += size;
  }
  while (consumed < run.events) await progressed();
  return { seconds: (performance.now() - started) / 1000, latencies };
}

async function benchmarkTransport(run: Run): Promise<void> {
  const log = pino({ level: 'warn' });
  const janitor = new BrokerJanitor();
  const group = janitor.group(uniqueName('bench'));
  const bus = run.transport === 'memory'
    ? await createBus({ transport: 'memory', freezeEvents: run.freeze }, log)
    : await createBus({ transport: 'amqp', url: process.env.AMQP_URL ?? AMQP_TEST_URL, exchange: janitor.exchange(uniqueName('busbar.bench')) }, log);
  const size = Buffer.byteLength(JSON.stringify(intervalBlockEvent(0)));
  const rss = trackPeakRss();
  try {
    const { seconds, latencies } = await measure(bus, group, run);
    const samples = Array.from(latencies);
    console.log(
      `${(run.freeze ? `${run.transport}+freeze` : run.transport).padEnd(13)} ${run.events.toLocaleString('en-US')} events of ${size} B, batch ${run.batch}, window ${run.window}: ` +
      `${formatRate(run.events, seconds)} events/s, latency p50 ${percentile(samples, 50).toFixed(1)} ms, ` +
      `p99 ${percentile(samples, 99).toFixed(1)} ms, peak RSS ${rss.stop().toFixed(0)} MiB (${seconds.toFixed(2)} s)`,
    );
  } finally {
    await bus.close();
    // The benchmark's queues and exchange are removed so repeated runs leave nothing behind.
    if (run.transport === 'amqp') await janitor.cleanup();
  }
}

export async function runBusBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      transport: { type: 'string', default: 'both' },
      events: { type: 'string' },
      batch: { type: 'string' },
      window: { type: 'string' },
    },
  });
  const transports = values.transport === 'both' ? (['memory', 'amqp'] as const) : values.transport === 'amqp' ? (['amqp'] as const) : (['memory'] as const);
  for (const transport of transports) {
    const events = Number(values.events ?? (transport === 'memory' ? 1_000_000 : 200_000));
    const batch = Number(values.batch ?? (transport === 'memory' ? 1_000 : 1_000));
    const window = Number(values.window ?? (transport === 'memory' ? 20_000 : 20_000));
    await benchmarkTransport({ transport, events, batch, window, freeze: false });
    if (transport === 'memory') await benchmarkTransport({ transport, events, batch, window, freeze: true });
  }
}
