/**
 * Counts what passes through the bus without the transports knowing about Prometheus: a thin
 * wrapper that increments the hub's counters around publish, handler outcomes and replays,
 * and a publisher for the outbox relay that counts relayed events and failed passes.
 */
import type { Bus, DeadLetterQueue, EventHandler } from '../bus/bus.js';
import type { HubMetrics } from './metrics.js';

/** The SubscribeOptions default (bus.ts): retries after the first failed attempt. */
const DEFAULT_MAX_RETRIES = 3;

export function instrumentBus(bus: Bus, metrics: HubMetrics, defaultMaxRetries: number = DEFAULT_MAX_RETRIES): Bus {
  const deadLetters: DeadLetterQueue = {
    list: (group, limit) => bus.deadLetters.list(group, limit),
    replay: async (group, ids) => {
      const replayed = await bus.deadLetters.replay(group, ids);
      metrics.busReplayed.inc({ group }, replayed);
      return replayed;
    },
  };
  return {
    transport: bus.transport,
    deadLetters,
    publish: async (event) => {
      await bus.publish(event);
      metrics.busPublished.inc({ type: event.type });
    },
    whenWritable: () => bus.whenWritable(),
    publishBatch: async (events) => {
      await bus.publishBatch(events);
      for (const event of events) metrics.busPublished.inc({ type: event.type });
    },
    subscribe: (group, patterns, handler, options) => {
      const maxRetries = options?.maxRetries ?? defaultMaxRetries;
      const counted: EventHandler = async (event, delivery) => {
        try {
          await handler(event, delivery);
          metrics.busDeliveries.inc({ group, outcome: 'ack' });
        } catch (error) {
          // The transport dead-letters once the retries after the first attempt are used up.
          metrics.busDeliveries.inc({ group, outcome: delivery.attempt > maxRetries ? 'dead_letter' : 'retry' });
          throw error;
        }
      };
      return bus.subscribe(group, patterns, counted, options);
    },
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
}

/** What the outbox relay publishes through: counts relayed events and failed passes. */
export function instrumentRelayPublisher(bus: Pick<Bus, 'publishBatch' | 'whenWritable'>, metrics: HubMetrics): Pick<Bus, 'publishBatch' | 'whenWritable'> {
  return {
    whenWritable: () => bus.whenWritable(),
    publishBatch: async (events) => {
      try {
        await bus.publishBatch(events);
      } catch (error) {
        metrics.outboxRelayErrors.inc();
        throw error;
      }
      metrics.outboxRelayed.inc(events.length);
    },
  };
}
