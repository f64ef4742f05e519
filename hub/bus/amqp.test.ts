import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, TransientError } from '../../canonical/errors.js';
import { createBus } from './create.js';
import { AMQP_TEST_URL, skipWithoutBroker } from './testing/amqp-env.js';
import { BrokerJanitor } from './testing/amqp-janitor.js';
import { describeBusContract, testEvent, uniqueName } from './testing/contract.js';

const log = pino({ level: 'silent' });
// Skipped (with the reason printed) when RabbitMQ is not reachable, except in CI where that fails.
const skip = await skipWithoutBroker();
const janitor = new BrokerJanitor();

describe.skipIf(skip)('amqp transport', () => {
  afterAll(() => janitor.cleanup());

  describeBusContract('amqp', async () =>
    janitor.track(await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange: janitor.exchange(uniqueName('busbar.test')) }, log)),
  );

  describe('amqp specifics', () => {
    it('sends a message that is not a CloudEvent straight to the DLQ with the reason, and keeps consuming', async () => {
      const exchange = janitor.exchange(uniqueName('busbar.test'));
      const bus = await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange }, log);
      const group = janitor.group(uniqueName('garbage'));
      const seen: string[] = [];
      await bus.subscribe(group, ['meter.#'], async (event) => {
        seen.push(event.type);
      });
      const { connect } = await import('amqplib');
      const raw = await connect(AMQP_TEST_URL);
      const channel = await raw.createConfirmChannel();
      channel.publish(exchange, 'meter.garbage', Buffer.from('{"not": "an event"'), { messageId: 'raw-1' });
      channel.publish(exchange, 'meter.half', Buffer.from(JSON.stringify({ specversion: '1.0', id: 'x' })), { messageId: 'raw-2' });
      await channel.waitForConfirms();
      await raw.close();
      await bus.publish(testEvent('meter.fine'));
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['meter.fine']);
      await expect.poll(async () => (await bus.deadLetters.list(group)).length, { timeout: 10_000 }).toBe(2);
      const letters = await bus.deadLetters.list(group);
      expect(letters.map((l) => l.id).sort()).toEqual(['raw-1', 'raw-2']);
      expect(letters.find((l) => l.id === 'raw-1')?.reason).toMatch(/not JSON/);
      expect(letters.find((l) => l.id === 'raw-2')?.reason).toMatch(/invalid CloudEvent: source/);
      expect(letters[0]?.event.type).toBe('busbar.bus.invalid_message');
      await bus.close();
    });

    it('packs publishBatch into CloudEvents batch messages of up to 100 events of one type, keeping order', async () => {
      const exchange = janitor.exchange(uniqueName('busbar.test'));
      const bus = await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange }, log);
      const { connect } = await import('amqplib');
      const raw = await connect(AMQP_TEST_URL);
      const channel = await raw.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, exchange, 'meter.#');
      const events = [
        ...Array.from({ length: 150 }, (_, n) => testEvent('meter.read', { n })),
        testEvent('meter.other', { n: 150 }),
        ...Array.from({ length: 3 }, (_, n) => testEvent('meter.read', { n: 151 + n })),
      ];
      await bus.publishBatch(events);
      const messages: Array<{ type: string; count: number; routingKey: string }> = [];
      const seenIds: string[] = [];
      for (let tries = 0; tries < 50 && messages.length < 4; tries++) {
        const message = await channel.get(queue, { noAck: true });
        if (message === false) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        const body: unknown = JSON.parse(message.content.toString('utf8'));
        const list = Array.isArray(body) ? body : [body];
        for (const item of list) seenIds.push(String((item as { id: unknown }).id));
        messages.push({ type: String(message.properties.contentType), count: list.length, routingKey: message.fields.routingKey });
      }
      await raw.close();
      await bus.close();
      expect(messages).toEqual([
        { type: 'application/cloudevents-batch+json', count: 100, routingKey: 'meter.read' },
        { type: 'application/cloudevents-batch+json', count: 50, routingKey: 'meter.read' },
        { type: 'application/cloudevents+json', count: 1, routingKey: 'meter.other' },
        { type: 'application/cloudevents-batch+json', count: 3, routingKey: 'meter.read' },
      ]);
      expect(seenIds).toEqual(events.map((event) => event.id));
    });

    it('retries and dead-letters a failing event of a batch alone; the rest of the batch is handled once', async () => {
      const exchange = janitor.exchange(uniqueName('busbar.test'));
      const bus = await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange, retry: { maxRetries: 2, retryDelayMs: 20 } }, log);
      const group = janitor.group(uniqueName('batch-failure'));
      const handled: number[] = [];
      const attemptsOfBad: number[] = [];
      await bus.subscribe(group, ['meter.read'], async (event, delivery) => {
        const n = (event.data as { n: number }).n;
        if (n === 7) {
          attemptsOfBad.push(delivery.attempt);
          throw new Error('meter 7 is unknown');
        }
        handled.push(n);
      });
      const events = Array.from({ length: 20 }, (_, n) => testEvent('meter.read', { n }));
      await bus.publishBatch(events);
      await expect.poll(async () => (await bus.deadLetters.list(group)).map((letter) => letter.id), { timeout: 10_000 }).toEqual([events[7]?.id]);
      expect(handled).toEqual(Array.from({ length: 20 }, (_, n) => n).filter((n) => n !== 7));
      expect(attemptsOfBad).toEqual([1, 2, 3]);
      const [letter] = await bus.deadLetters.list(group);
      expect(letter?.reason).toBe('meter 7 is unknown');
      expect(letter?.event).toEqual(events[7]);
      await bus.close();
    });

    it('with batchTogether, starts every event of a batch message at once and still retries a failing one alone', async () => {
      const exchange = janitor.exchange(uniqueName('busbar.test'));
      const bus = await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange, retry: { maxRetries: 1, retryDelayMs: 20 } }, log);
      const group = janitor.group(uniqueName('batch-together'));
      let running = 0;
      let mostAtOnce = 0;
      const handled: number[] = [];
      await bus.subscribe(group, ['meter.read'], async (event) => {
        const n = (event.data as { n: number }).n;
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (n === 3) throw new Error('meter 3 is unknown');
        handled.push(n);
      }, { concurrency: 1, batchTogether: true });
      const events = Array.from({ length: 10 }, (_, n) => testEvent('meter.read', { n }));
      await bus.publishBatch(events);
      await expect.poll(async () => (await bus.deadLetters.list(group)).map((letter) => letter.id), { timeout: 10_000 }).toEqual([events[3]?.id]);
      expect(mostAtOnce).toBe(10);
      expect(handled.sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
      await bus.close();
    });

    it('dead-letters an invalid element of a batch message with its index and handles the others', async () => {
      const exchange = janitor.exchange(uniqueName('busbar.test'));
      const bus = await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange }, log);
      const group = janitor.group(uniqueName('batch-garbage'));
      const seen: string[] = [];
      await bus.subscribe(group, ['meter.#'], async (event) => {
        seen.push(event.id);
      });
      const good = [testEvent('meter.read'), testEvent('meter.read')];
      const { connect } = await import('amqplib');
      const raw = await connect(AMQP_TEST_URL);
      const channel = await raw.createConfirmChannel();
      const body = JSON.stringify([good[0], { specversion: '1.0', id: 'broken' }, good[1]]);
      channel.publish(exchange, 'meter.read', Buffer.from(body), { contentType: 'application/cloudevents-batch+json' });
      await channel.waitForConfirms();
      await raw.close();
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(good.map((event) => event.id));
      await expect.poll(async () => (await bus.deadLetters.list(group)).length, { timeout: 10_000 }).toBe(1);
      const [letter] = await bus.deadLetters.list(group);
      expect(letter?.reason).toMatch(/batch element #1: invalid CloudEvent: source/);
      expect(letter?.event.data).toMatchObject({ raw: JSON.stringify({ specversion: '1.0', id: 'broken' }) });
      await bus.close();
    });

    it('refuses a bad URL with a ConfigError and wrong credentials without showing the password', async () => {
      await expect(createBus({ transport: 'amqp', url: 'http://example.org' }, log)).rejects.toThrow(ConfigError);
      await expect(createBus({ transport: 'amqp', url: 'not a url' }, log)).rejects.toThrow(ConfigError);
      const url = new URL(AMQP_TEST_URL);
      url.password = 'Sup3rSecret';
      const failure = await createBus({ transport: 'amqp', url: url.href, connectTimeoutMs: 5000 }, log).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigError);
      expect(String(failure instanceof Error ? failure.message : failure)).toContain(url.host);
      expect(String(failure instanceof Error ? failure.message : failure)).not.toContain('Sup3rSecret');
    });

    it('ping resolves while connected and rejects with a TransientError after close', async () => {
      const bus = await createBus({ transport: 'amqp', url: AMQP_TEST_URL, exchange: janitor.exchange(uniqueName('busbar.test')) }, log);
      await expect(bus.ping()).resolves.toBeUndefined();
      await bus.close();
      await expect(bus.ping()).rejects.toThrow(TransientError);
    });
  });
});
