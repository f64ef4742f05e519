/**
 * The one way the hub makes a bus from its configuration. `memory` needs nothing installed;
 * `amqp` connects to RabbitMQ before returning, so a hub that cannot reach its broker refuses to
 * start with an error that names the host (never the password).
 */
import type { Logger } from 'pino';
import { ConfigError } from '../../canonical/errors.js';
import type { Bus } from './bus.js';
import type { AmqpBusOptions } from './amqp.js';
import { AmqpBus } from './amqp.js';
import type { MemoryBusOptions } from './memory.js';
import { MemoryBus } from './memory.js';

export type BusOptions =
  | ({ transport: 'memory' } & MemoryBusOptions)
  | ({ transport: 'amqp' } & AmqpBusOptions);

export async function createBus(options: BusOptions, log: Logger): Promise<Bus> {
  checkNumbers(options);
  switch (options.transport) {
    case 'memory':
      return new MemoryBus(options, log.child({ component: 'bus', transport: 'memory' }));
    case 'amqp': {
      if (typeof options.url !== 'string' || options.url.length === 0) {
        throw new ConfigError('bus.amqp.url', 'an amqp:// or amqps:// URL (AMQP_URL)', options.url);
      }
      for (const key of ['exchange', 'queuePrefix'] as const) {
        const name = options[key];
        // AMQP short strings: at most 255 bytes; an empty exchange name is the default exchange, which cannot route topics.
        if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z0-9_.:-]{1,200}$/.test(name))) {
          throw new ConfigError(`bus.amqp.${key}`, 'a name of 1-200 letters, digits, ".", "_", ":" or "-"', name);
        }
      }
      return AmqpBus.connect(options, log.child({ component: 'bus', transport: 'amqp' }));
    }
    default:
      return unknownTransport(options);
  }
}

/** Reached only when the config bypassed the type (YAML, environment). */
function unknownTransport(options: unknown): never {
  const transport = typeof options === 'object' && options !== null && 'transport' in options ? options.transport : undefined;
  throw new ConfigError('bus.transport', '"memory" or "amqp"', transport);
}

const POSITIVE_NUMBER_KEYS = ['connectTimeoutMs', 'publishTimeoutMs', 'drainTimeoutMs', 'heartbeatSeconds'] as const;
const POSITIVE_INTEGER_KEYS = ['prefetch', 'maxBufferedPublishes'] as const;

/** Numbers come from YAML or the environment: refuse nonsense here, naming the key. */
function checkNumbers(options: BusOptions): void {
  // Keys as the hub config names them (hub/config): bus.amqp.*, bus.retry.*.
  const section = options.transport === 'amqp' ? 'bus.amqp' : 'bus';
  const check = (key: string, value: unknown, expected: string, ok: (n: number) => boolean): void => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !ok(value)) throw new ConfigError(key.startsWith('bus.') ? key : `${section}.${key}`, expected, value);
  };
  const record: Record<string, unknown> = { ...options };
  for (const key of POSITIVE_NUMBER_KEYS) check(key, record[key], 'a number > 0', (n) => Number.isFinite(n) && n > 0);
  for (const key of POSITIVE_INTEGER_KEYS) check(key, record[key], 'an integer ≥ 1', (n) => Number.isInteger(n) && n >= 1);
  check('bus.retry.maxRetries', options.retry?.maxRetries, 'an integer ≥ 0', (n) => Number.isInteger(n) && n >= 0);
  check('bus.retry.delayMs', options.retry?.retryDelayMs, 'a number ≥ 0', (n) => Number.isFinite(n) && n >= 0);
  if (options.transport === 'amqp') {
    check('reconnect.initialDelayMs', options.reconnect?.initialDelayMs, 'a number > 0', (n) => Number.isFinite(n) && n > 0);
    check('reconnect.maxDelayMs', options.reconnect?.maxDelayMs, 'a number > 0', (n) => Number.isFinite(n) && n > 0);
  }
}
