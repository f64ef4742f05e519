/**
 * The bus contract: the behaviour every transport must show. Each transport's test file calls
 * `describeBusContract` with a factory; a transport that passes is interchangeable with the
 * others. Each case makes its own bus and uses fresh group names, so cases cannot see each
 * other's events.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope } from '../../../canonical/envelope.js';
import { ConfigError, InputError, TransientError } from '../../../canonical/errors.js';
import type { Bus } from '../bus.js';
import { testEvent, uniqueName } from './test-events.js';

/** Tiny so that retry cases finish in milliseconds. */
const RETRY_DELAY_MS = 20;
const WAIT = { timeout: 20_000, interval: 10 };

export { testEvent, uniqueName };

export function describeBusContract(name: string, makeBus: () => Promise<Bus>): void {
  describe(`bus contract: ${name}`, () => {
    const opened: Bus[] = [];
    const open = async (): Promise<Bus> => {
      const bus = await makeBus();
      opened.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
    });

    it('routes by topic pattern exactly as a RabbitMQ topic exchange does (exact, *, #, a.#, #.b)', async () => {
      const bus = await open();
      const patterns = { exact: 'a.b', star: '*.b', hash: '#', prefix: 'a.#', suffix: '#.b', oneWord: '*' };
      const seen = new Map<string, string[]>();
      for (const [label, pattern] of Object.entries(patterns)) {
        const types: string[] = [];
        seen.set(label, types);
        await bus.subscribe(uniqueName(`pattern-${label}`), [pattern], async (event) => {
          types.push(event.type);
        });
      }
      const published = ['a', 'b', 'a.b', 'x.b', 'a.b.c', 'x.y.b', 'a.x.b'];
      await bus.publishBatch(published.map((type) => testEvent(type)));
      const expected: Record<string, string[]> = {
        exact: ['a.b'],
        star: ['a.b', 'x.b'],
        hash: published,
        prefix: ['a', 'a.b', 'a.b.c', 'a.x.b'],
        suffix: ['b', 'a.b', 'x.b', 'x.y.b', 'a.x.b'],
        oneWord: ['a', 'b'],
      };
      await vi.waitFor(() => {
        for (const [label, types] of Object.entries(expected)) expect(seen.get(label)?.length).toBe(types.length);
      }, WAIT);
      await sleep(100); // a wrongly matched event would show up by now
      for (const [label, types] of Object.entries(expected)) expect([...(seen.get(label) ?? [])].sort()).toEqual([...types].sort());
    });

    it('gives every group the event as it was published', async () => {
      const bus = await open();
      const seenByA: unknown[] = [];
      const seenByB: unknown[] = [];
      await bus.subscribe(uniqueName('copy-a'), ['meter.read'], async (event) => {
        seenByA.push(event);
      });
      await bus.subscribe(uniqueName('copy-b'), ['meter.#'], async (event) => {
        seenByB.push(event);
      });
      const event = testEvent('meter.read', { kwh: 42, qualities: [['3.8.1']] });
      await bus.publish(event);
      await vi.waitFor(() => expect(seenByB).toHaveLength(1), WAIT);
      await vi.waitFor(() => expect(seenByA).toHaveLength(1), WAIT);
      expect(seenByA[0]).toEqual(event);
      expect(seenByB[0]).toEqual(event);
    });

    it('shares the events of one group among competing consumers, without duplicates', async () => {
      const bus = await open();
      const group = uniqueName('competing');
      const perConsumer = [0, 0, 0];
      const ids: string[] = [];
      for (let consumer = 0; consumer < 3; consumer++) {
        await bus.subscribe(group, ['work.*'], async (event) => {
          perConsumer[consumer] = (perConsumer[consumer] ?? 0) + 1;
          ids.push(event.id);
          await sleep(1); // real work takes time, which is what lets the others take a share
        }, { concurrency: 4 });
      }
      const events = Array.from({ length: 300 }, (_, n) => testEvent('work.item', { n }));
      await bus.publishBatch(events);
      await vi.waitFor(() => expect(ids).toHaveLength(300), WAIT);
      await sleep(100);
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
      for (const count of perConsumer) expect(count).toBeGreaterThan(0);
    });

    it('keeps publish order for a single consumer with concurrency 1', async () => {
      const bus = await open();
      const order: number[] = [];
      await bus.subscribe(uniqueName('ordered'), ['seq.#'], async (event) => {
        if (typeof event.data === 'object' && event.data !== null && 'n' in event.data && typeof event.data.n === 'number') order.push(event.data.n);
      }, { concurrency: 1 });
      const count = 200;
      await bus.publishBatch(Array.from({ length: count }, (_, n) => testEvent('seq.step', { n })));
      await vi.waitFor(() => expect(order).toHaveLength(count), WAIT);
      expect(order).toEqual(Array.from({ length: count }, (_, n) => n));
    });

    it('delivers every event of a 10,000-event publishBatch', async () => {
      const bus = await open();
      const ids = new Set<string>();
      let deliveries = 0;
      await bus.subscribe(uniqueName('bulk'), ['bulk.*'], async (event) => {
        deliveries++;
        ids.add(event.id);
      }, { concurrency: 128 });
      const events = Array.from({ length: 10_000 }, (_, n) => testEvent('bulk.reading', { n, payload: 'x'.repeat(200) }));
      await bus.publishBatch(events);
      await vi.waitFor(() => expect(ids.size).toBe(10_000), { ...WAIT, interval: 50 });
      expect(deliveries).toBe(10_000);
    });

    it('retries a handler that fails once, then succeeds (attempts 1, 2)', async () => {
      const bus = await open();
      const group = uniqueName('flaky');
      const attempts: number[] = [];
      await bus.subscribe(group, ['flaky.event'], async (_event, delivery) => {
        attempts.push(delivery.attempt);
        expect(delivery.group).toBe(group);
        expect(delivery.routingKey).toBe('flaky.event');
        if (delivery.attempt === 1) throw new Error('database briefly unavailable');
      }, { maxRetries: 3, retryDelayMs: RETRY_DELAY_MS });
      await bus.publish(testEvent('flaky.event'));
      await vi.waitFor(() => expect(attempts).toEqual([1, 2]), WAIT);
      await sleep(150);
      expect(attempts).toEqual([1, 2]);
      expect(await bus.deadLetters.list(group)).toEqual([]);
    });

    it('dead-letters an event after maxRetries, lists it with its reason, and replays it', async () => {
      const bus = await open();
      const group = uniqueName('poison');
      const attempts: number[] = [];
      let healed = false;
      const handled: string[] = [];
      await bus.subscribe(group, ['poison.event'], async (event, delivery) => {
        attempts.push(delivery.attempt);
        if (!healed) throw new Error(`tariff T-9 unknown for ${event.subject ?? 'event'}`);
        handled.push(event.id);
      }, { maxRetries: 2, retryDelayMs: RETRY_DELAY_MS });
      const event = createEnvelope({ type: 'poison.event', source: '/test', subject: 'up-17', data: { n: 1 } });
      await bus.publish(event);

      await vi.waitFor(async () => expect(await bus.deadLetters.list(group)).toHaveLength(1), WAIT);
      expect(attempts).toEqual([1, 2, 3]);
      const [letter] = await bus.deadLetters.list(group);
      expect(letter).toMatchObject({ id: event.id, group, reason: 'tariff T-9 unknown for up-17', attempts: 3 });
      expect(letter?.event).toEqual(event);
      expect(Number.isNaN(Date.parse(letter?.deadAt ?? ''))).toBe(false);
      // Listing does not consume.
      expect(await bus.deadLetters.list(group)).toHaveLength(1);
      expect((await bus.deadLetters.list()).some((l) => l.id === event.id)).toBe(true);

      healed = true;
      expect(await bus.deadLetters.replay(group, ['some-other-id'])).toBe(0);
      expect(await bus.deadLetters.replay(group)).toBe(1);
      await vi.waitFor(() => expect(handled).toEqual([event.id]), WAIT);
      expect(attempts.at(-1)).toBe(1);
      expect(await bus.deadLetters.list(group)).toEqual([]);
    });

    it('close() waits for handlers in flight to finish', async () => {
      const bus = await open();
      let started = 0;
      let finished = 0;
      await bus.subscribe(uniqueName('draining'), ['slow.job'], async () => {
        started++;
        await sleep(200);
        finished++;
      }, { concurrency: 8 });
      // Separate publishes: on RabbitMQ one publishBatch is one message handled in order.
      await Promise.all(Array.from({ length: 5 }, () => bus.publish(testEvent('slow.job'))));
      await vi.waitFor(() => expect(started).toBe(5), WAIT);
      expect(finished).toBe(0);
      await bus.close();
      expect(finished).toBe(5);
    });

    it('keeps nothing for a temporary group: no retries, no dead letters, nothing after close', async () => {
      const bus = await open();
      const group = uniqueName('tail');
      const seen: unknown[] = [];
      const attempts: number[] = [];
      const tail = await bus.subscribe(group, ['tail.#'], async (event, delivery) => {
        if (event.type === 'tail.bad') {
          attempts.push(delivery.attempt);
          throw new Error('a tail that fails drops the event');
        }
        seen.push(event.data);
      }, { temporary: true, maxRetries: 3, retryDelayMs: 10 });
      await bus.publish(testEvent('tail.bad'));
      await bus.publish(testEvent('tail.ok', { n: 1 }));
      await vi.waitFor(() => expect(seen).toEqual([{ n: 1 }]), WAIT);
      await sleep(150); // a retry would show up by now
      expect(attempts).toEqual([1]);
      expect(await bus.deadLetters.list(group)).toEqual([]);
      await tail.close();
      await bus.publish(testEvent('tail.ok', { n: 2 }));
      const again: unknown[] = [];
      const next = await bus.subscribe(group, ['tail.#'], async (event) => {
        again.push(event.data);
      }, { temporary: true });
      await bus.publish(testEvent('tail.ok', { n: 3 }));
      await vi.waitFor(() => expect(again).toEqual([{ n: 3 }]), WAIT);
      await next.close();
    });

    it('rejects publishes, batches and subscriptions after close() with a clear error', async () => {
      const bus = await open();
      await bus.close();
      await expect(bus.publish(testEvent('late.event'))).rejects.toThrow(TransientError);
      await expect(bus.publish(testEvent('late.event'))).rejects.toThrow(/closed/);
      await expect(bus.publishBatch([testEvent('late.event')])).rejects.toThrow(/closed/);
      await expect(bus.subscribe(uniqueName('late'), ['#'], async () => {})).rejects.toThrow(/closed/);
      await expect(bus.ping()).rejects.toThrow(TransientError);
    });

    it('refuses events without a type or id, and bad subscriptions, before anything is sent', async () => {
      const bus = await open();
      await expect(bus.publish({ ...testEvent('x.y'), type: '' })).rejects.toThrow(InputError);
      await expect(bus.subscribe('bad group/name', ['#'], async () => {})).rejects.toThrow(ConfigError);
      await expect(bus.subscribe(uniqueName('no-patterns'), [], async () => {})).rejects.toThrow(ConfigError);
      await expect(bus.subscribe(uniqueName('zero'), ['#'], async () => {}, { concurrency: 0 })).rejects.toThrow(ConfigError);
      await expect(bus.ping()).resolves.toBeUndefined();
    });

    it('drops events no group is bound to, like an exchange without a matching binding', async () => {
      const bus = await open();
      const types: string[] = [];
      await bus.subscribe(uniqueName('bound'), ['bound.event'], async (event) => {
        types.push(event.type);
      });
      await bus.publish(testEvent('unbound.event'));
      await bus.publish(testEvent('bound.event'));
      await vi.waitFor(() => expect(types).toEqual(['bound.event']), WAIT);
    });
  });
}
