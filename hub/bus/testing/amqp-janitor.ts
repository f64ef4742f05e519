/**
 * Test runs declare real queues and exchanges on a shared broker. The janitor remembers every
 * group and exchange a test used and deletes them in afterAll, so runs neither interfere nor
 * leave durable litter behind.
 */
import { connect } from 'amqplib';
import type { Bus } from '../bus.js';
import { DEFAULT_QUEUE_PREFIX } from '../amqp.js';
import { groupQueues } from '../amqp-topology.js';
import { AMQP_TEST_URL } from './amqp-env.js';

/** The same bus with another `subscribe`: for test wrappers that watch or count subscriptions. */
export function withSubscribe(bus: Bus, subscribe: Bus['subscribe']): Bus {
  return {
    transport: bus.transport,
    publish: (event) => bus.publish(event),
    publishBatch: (events) => bus.publishBatch(events),
    whenWritable: () => bus.whenWritable(),
    subscribe,
    deadLetters: bus.deadLetters,
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
}

export class BrokerJanitor {
  private readonly groups = new Set<string>();
  private readonly exchanges = new Set<string>();

  /** `queuePrefix` as given to the bus under test (AmqpBusOptions.queuePrefix). */
  constructor(private readonly queuePrefix: string = DEFAULT_QUEUE_PREFIX) {}

  exchange(name: string): string {
    this.exchanges.add(name);
    return name;
  }

  group(name: string): string {
    this.groups.add(name);
    return name;
  }

  /** The same bus, remembering every group it subscribes. */
  track(bus: Bus): Bus {
    return withSubscribe(bus, (group, patterns, handler, options) => {
      this.groups.add(group);
      return bus.subscribe(group, patterns, handler, options);
    });
  }

  async cleanup(): Promise<void> {
    const connection = await connect(AMQP_TEST_URL);
    // A socket closing under the clean-up is reported by the failing call; unheard, it would crash the worker.
    connection.on('error', () => undefined);
    try {
      for (const group of this.groups) {
        const { queue, retry, dlq } = groupQueues(this.queuePrefix, group);
        for (const name of [queue, retry, dlq]) {
          // One channel per delete: a failed delete closes its channel.
          const channel = await connection.createChannel();
          await channel.deleteQueue(name).catch(() => undefined);
          await channel.close().catch(() => undefined);
        }
      }
      for (const name of this.exchanges) {
        const channel = await connection.createChannel();
        await channel.deleteExchange(name).catch(() => undefined);
        await channel.close().catch(() => undefined);
      }
    } finally {
      await connection.close();
    }
    this.groups.clear();
    this.exchanges.clear();
  }
}
