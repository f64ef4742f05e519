import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { MemoryBus } from './memory.js';
import { describeBusContract, testEvent, uniqueName } from './testing/contract.js';

const log = pino({ level: 'silent' });

// freezeEvents makes any handler in the contract that mutates an event fail loudly.
describeBusContract('memory', async () => new MemoryBus({ freezeEvents: true }, log));

describe('memory bus delivery context', () => {
  it("runs handlers outside the publisher's async context, as a broker would", async () => {
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const openTransaction = new AsyncLocalStorage<string>();
    const bus = new MemoryBus({}, log);
    const seen: Array<string | undefined> = [];
    await bus.subscribe(uniqueName('context'), ['meter.read'], async () => {
      seen.push(openTransaction.getStore());
    });
    await openTransaction.run('publisher transaction', () => bus.publish(testEvent('meter.read')));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen).toEqual([undefined]);
    await bus.close();
  });
});

describe('memory bus with freezeEvents', () => {
  it('freezes a published event: the publisher and a handler cannot change what another group sees', async () => {
    const bus = new MemoryBus({ freezeEvents: true }, log);
    const mutationErrors: unknown[] = [];
    const seen: unknown[] = [];
    await bus.subscribe(uniqueName('mutator'), ['meter.read'], async (event) => {
      try {
        Reflect.set(event, 'type', 'meter.changed');
        if (typeof event.data === 'object' && event.data !== null && 'kwh' in event.data) event.data.kwh = -1;
      } catch (error) {
        mutationErrors.push(error);
      }
    });
    await bus.subscribe(uniqueName('reader'), ['meter.#'], async (event) => {
      seen.push(structuredClone(event));
    });
    const event = testEvent('meter.read', { kwh: 42 });
    await bus.publish(event);
    expect(() => {
      event.data = { kwh: 'changed after publish' };
    }).toThrow(TypeError);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    await vi.waitFor(() => expect(mutationErrors).toHaveLength(1));
    expect(seen[0]).toMatchObject({ type: 'meter.read', data: { kwh: 42 } });
    await bus.close();
  });

  it('rejects an event that is not plain JSON data, naming the field', async () => {
    const bus = new MemoryBus({ freezeEvents: true }, log);
    await bus.subscribe(uniqueName('any'), ['#'], async () => {});
    await expect(bus.publish(testEvent('meter.read', { at: new Date(0) }))).rejects.toThrow(/data\.at: a Date instance/);
    await bus.close();
  });
});

describe('memory bus specifics', () => {
  it('keeps events for a group whose consumers all closed and hands them to the next consumer', async () => {
    const bus = new MemoryBus({}, log);
    const group = uniqueName('durable');
    const first = await bus.subscribe(group, ['keep.*'], async () => {});
    await first.close();
    await bus.publish(testEvent('keep.me'));
    const seen: string[] = [];
    await bus.subscribe(group, ['keep.*'], async (event) => {
      seen.push(event.type);
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual(['keep.me']);
    await bus.close();
  });

  it('gives up draining at the time limit and reports the events it abandons', async () => {
    const warnings: string[] = [];
    const recording = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const bus = new MemoryBus({ drainTimeoutMs: 50 }, recording);
    await bus.subscribe(uniqueName('stuck'), ['stuck.*'], () => new Promise<void>(() => {}), { concurrency: 1 });
    await bus.publishBatch([testEvent('stuck.a'), testEvent('stuck.b')]);
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(warnings.join('')).toMatch(/"abandoned":1/);
  });

  it('whenIdle waits for queued, in-flight and retried deliveries of the groups asked about', async () => {
    const bus = new MemoryBus({ retry: { maxRetries: 2, retryDelayMs: 20 }, drainTimeoutMs: 50 }, log);
    const slow = uniqueName('slow');
    const done: string[] = [];
    let failedOnce = false;
    await bus.subscribe(slow, ['idle.*'], async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      // One failure puts the event on a retry timer: still not idle while it waits.
      if (event.type === 'idle.c' && !failedOnce) {
        failedOnce = true;
        throw new Error('first attempt fails');
      }
      done.push(event.type);
    }, { concurrency: 1 });
    await bus.subscribe(uniqueName('stuck'), ['idle.*'], () => new Promise<void>(() => {}), { concurrency: 1 });
    await bus.publishBatch([testEvent('idle.a'), testEvent('idle.b'), testEvent('idle.c')]);
    await bus.whenIdle([slow]);
    expect(done).toEqual(['idle.a', 'idle.b', 'idle.c']);
    expect(failedOnce).toBe(true);
    // The stuck group never settles; asking about every group would not resolve.
    const everyGroup = await Promise.race([bus.whenIdle().then(() => 'idle'), new Promise((resolve) => setTimeout(() => resolve('busy'), 50))]);
    expect(everyGroup).toBe('busy');
    await bus.close();
  });
});

describe('memory bus flow control', () => {
  /** A consumer that holds every delivery until released. */
  function gate() {
    const held: Array<() => void> = [];
    return {
      handler: () => new Promise<void>((resolve) => held.push(resolve)),
      releaseAll: () => held.splice(0).forEach((release) => release()),
    };
  }

  const settledWithin = async (promise: Promise<void>, ms: number): Promise<boolean> =>
    Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

  it('holds publishers at maxQueuedPerGroup waiting events and lets them go at half', async () => {
    const bus = new MemoryBus({ maxQueuedPerGroup: 10 }, log);
    const slow = gate();
    await bus.subscribe(uniqueName('slow'), ['meter.read'], slow.handler, { concurrency: 1 });
    // One in flight, ten waiting: the limit.
    await bus.publishBatch(Array.from({ length: 11 }, () => testEvent('meter.read')));
    await new Promise((resolve) => setImmediate(resolve));
    const writable = bus.whenWritable();
    expect(await settledWithin(writable, 50)).toBe(false);
    // Four delivered: six wait, still over half.
    for (let index = 0; index < 4; index++) {
      slow.releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await settledWithin(writable, 20)).toBe(false);
    slow.releaseAll();
    expect(await settledWithin(writable, 50)).toBe(true);
    const releaser = setInterval(() => slow.releaseAll(), 1);
    await bus.close();
    clearInterval(releaser);
  });

  it('does not count groups nobody consumes, nor temporary live views', async () => {
    const bus = new MemoryBus({ maxQueuedPerGroup: 4, drainTimeoutMs: 10 }, log);
    const kept = uniqueName('kept');
    const subscription = await bus.subscribe(kept, ['meter.read'], gate().handler, { concurrency: 1 });
    await subscription.close();
    await bus.subscribe(uniqueName('tail'), ['meter.read'], gate().handler, { concurrency: 1, temporary: true });
    await bus.publishBatch(Array.from({ length: 20 }, () => testEvent('meter.read')));
    expect(await settledWithin(bus.whenWritable(), 50)).toBe(true);
    await bus.close();
  });

  it('releases waiting publishers when it closes; publishing then fails as on a closed bus', async () => {
    const bus = new MemoryBus({ maxQueuedPerGroup: 2, drainTimeoutMs: 10 }, log);
    await bus.subscribe(uniqueName('stuck'), ['meter.read'], gate().handler, { concurrency: 1 });
    await bus.publishBatch(Array.from({ length: 5 }, () => testEvent('meter.read')));
    const writable = bus.whenWritable();
    await bus.close();
    expect(await settledWithin(writable, 50)).toBe(true);
    await expect(bus.publish(testEvent('meter.read'))).rejects.toThrow('closed');
  });

  it('refuses a limit below 2, naming the key', () => {
    expect(() => new MemoryBus({ maxQueuedPerGroup: 1 }, log)).toThrow('bus.memory.maxQueuedPerGroup');
  });
});
