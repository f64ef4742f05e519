import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../canonical/envelope.js';
import { FakeBus } from '../http/testing/fakes.js';
import { instrumentBus, instrumentRelayPublisher } from './instrumented-bus.js';
import { createMetrics } from './metrics.js';

async function value(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((sample) => Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted));
  return match?.value ?? 0;
}

describe('instrumentBus', () => {
  it('counts publishes by type and handler outcomes by group', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const fake = new FakeBus();
    const bus = instrumentBus(fake, metrics);
    await bus.subscribe('billing', ['#'], async () => {}, { maxRetries: 2 });
    await bus.publish(createEnvelope({ type: 'payment.received', source: '/t', data: {} }));
    await bus.publishBatch([createEnvelope({ type: 'payment.received', source: '/t', data: {} })]);
    expect(await value(metrics, 'busbar_bus_published_total', { type: 'payment.received' })).toBe(2);
    expect(await value(metrics, 'busbar_bus_deliveries_total', { group: 'billing', outcome: 'ack' })).toBe(2);

    await bus.subscribe('ledger', ['#'], async () => Promise.reject(new Error('down')), { maxRetries: 1 });
    const failing = fake.subscribers[1];
    const event = createEnvelope({ type: 'x.y', source: '/t', data: {} });
    await expect(failing?.handler(event, { group: 'ledger', attempt: 1, routingKey: 'x.y' })).rejects.toThrow('down');
    expect(await value(metrics, 'busbar_bus_deliveries_total', { group: 'ledger', outcome: 'retry' })).toBe(1);
    expect(await value(metrics, 'busbar_bus_deliveries_total', { group: 'ledger', outcome: 'dead_letter' })).toBe(0);
  });

  it('counts relayed outbox events and failed passes', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const fake = new FakeBus();
    const publisher = instrumentRelayPublisher(fake, metrics);
    await publisher.publishBatch([createEnvelope({ type: 'a.b', source: '/t', data: {} }), createEnvelope({ type: 'a.b', source: '/t', data: {} })]);
    fake.publishBatch = async () => Promise.reject(new Error('broker gone'));
    await expect(publisher.publishBatch([createEnvelope({ type: 'a.b', source: '/t', data: {} })])).rejects.toThrow('broker gone');
    expect(await value(metrics, 'busbar_outbox_relayed_total')).toBe(2);
    expect(await value(metrics, 'busbar_outbox_relay_errors_total')).toBe(1);
  });
});
