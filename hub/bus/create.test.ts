import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../canonical/errors.js';
import type { BusOptions } from './create.js';
import { createBus } from './create.js';

const log = pino({ level: 'silent' });

describe('createBus', () => {
  it('makes the embedded memory bus without anything installed', async () => {
    const bus = await createBus({ transport: 'memory', retry: { maxRetries: 1, retryDelayMs: 5 } }, log);
    expect(bus.transport).toBe('memory');
    await expect(bus.ping()).resolves.toBeUndefined();
    await bus.close();
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown transport', { transport: 'kafka' }, /bus\.transport/],
    ['an amqp bus without a URL', { transport: 'amqp', url: '' }, /bus\.amqp\.url/],
    ['a URL of another scheme', { transport: 'amqp', url: 'http://rabbit:5672' }, /bus\.amqp\.url/],
    ['a zero prefetch', { transport: 'amqp', url: 'amqp://localhost', prefetch: 0 }, /bus\.amqp\.prefetch/],
    ['a negative retry count', { transport: 'memory', retry: { maxRetries: -1 } }, /bus\.retry\.maxRetries/],
    ['an exchange name with spaces', { transport: 'amqp', url: 'amqp://localhost', exchange: 'my events' }, /bus\.amqp\.exchange/],
  ])('refuses %s with a ConfigError naming the key', async (_label, options, key) => {
    // Configuration arrives untyped from YAML and the environment; createBus checks it anyway.
    const untyped: unknown = options;
    const error = await createBus(untyped as BusOptions, log).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error instanceof Error ? error.message : '').toMatch(key);
  });

  it('keeps the password out of URL errors', async () => {
    const error = await createBus({ transport: 'amqp', url: 'ftp://user:Sup3rSecret@rabbit/' }, log).then(() => undefined, (e: unknown) => e);
    expect(error instanceof Error ? error.message : '').not.toContain('Sup3rSecret');
    expect(error instanceof Error ? error.message : '').toContain('***');
  });
});
