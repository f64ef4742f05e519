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
