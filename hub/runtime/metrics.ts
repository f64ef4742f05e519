/**
 * The hub's Prometheus metrics: one registry per hub (so tests and several hubs in one process
 * do not collide), default process metrics, the HTTP request duration, and counters the bus
 * transports, the outbox relay and the estimation sweep increment. Names follow the Prometheus
 * naming guide: `busbar_` prefix, base units (seconds), `_total` on counters.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HubMetrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Events accepted by the bus, by event type. */
  readonly busPublished: Counter<'type'>;
  /** Handler outcomes per consumer group: `ack`, `retry` or `dead_letter`. */
  readonly busDeliveries: Counter<'group' | 'outcome'>;
  /** Dead letters sent back to their group by a replay. */
  readonly busReplayed: Counter<'group'>;
  /** Outbox rows published by the relay. */
  readonly outboxRelayed: Counter;
  /** Relay passes that failed (the rows stay in the outbox and are retried). */
  readonly outboxRelayErrors: Counter;
  /** Days the estimation sweep gave an estimate version, by trigger: `timer` or `request`. */
  readonly estimationSweepDays: Counter<'trigger'>;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): HubMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'busbar_' });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'busbar_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    busPublished: new Counter({ name: 'busbar_bus_published_total', help: 'Events published on the bus, by type.', labelNames: ['type'], registers }),
    busDeliveries: new Counter({
      name: 'busbar_bus_deliveries_total',
      help: 'Bus deliveries by consumer group and outcome (ack, retry, dead_letter).',
      labelNames: ['group', 'outcome'],
      registers,
    }),
    busReplayed: new Counter({ name: 'busbar_bus_replayed_total', help: 'Dead letters replayed, by consumer group.', labelNames: ['group'], registers }),
    outboxRelayed: new Counter({ name: 'busbar_outbox_relayed_total', help: 'Outbox events published by the relay.', registers }),
    outboxRelayErrors: new Counter({ name: 'busbar_outbox_relay_errors_total', help: 'Outbox relay passes that failed.', registers }),
    estimationSweepDays: new Counter({
      name: 'busbar_estimation_sweep_days_total',
      help: 'Days the estimation sweep estimated (an estimate version written), by trigger (timer, request).',
      labelNames: ['trigger'],
      registers,
    }),
  };
}
