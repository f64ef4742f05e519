/**
 * The one place where subscription arguments are checked and their defaults named, so both
 * transports accept and refuse exactly the same subscriptions.
 */
import type { CloudEvent } from '../../canonical/envelope.js';
import { ConfigError, InputError } from '../../canonical/errors.js';
import type { SubscribeOptions } from './bus.js';

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_MS = 1000;

export interface ResolvedSubscribeOptions {
  readonly concurrency: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly temporary: boolean;
  readonly batchTogether: boolean;
}

/**
 * A group becomes part of queue names (`busbar.<group>`), so it is limited to characters that
 * are safe in AMQP queue names, log lines and metric labels.
 */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export function checkGroupName(group: string): void {
  if (!GROUP_NAME.test(group)) {
    throw new ConfigError('bus.subscribe.group', 'a name of letters, digits, ".", "_" or "-" (1-200 characters)', group);
  }
}

export function checkPatterns(group: string, patterns: readonly string[]): void {
  if (patterns.length === 0) {
    throw new ConfigError(`bus.subscribe(${group}).patterns`, 'at least one topic pattern such as "interval_block.*" or "#"', []);
  }
  for (const pattern of patterns) {
    if (pattern.length === 0 || pattern.length > 255) {
      throw new ConfigError(`bus.subscribe(${group}).patterns`, 'topic patterns of 1-255 characters', pattern);
    }
  }
}

/** Bus-wide defaults for subscriptions that do not set their own (from the hub config). */
export interface SubscriptionDefaults {
  concurrency?: number | undefined;
  maxRetries?: number | undefined;
  retryDelayMs?: number | undefined;
}

/** The retry part of the defaults, as the hub config names it. */
export interface RetryDefaults {
  maxRetries?: number;
  retryDelayMs?: number;
}

export function resolveSubscribeOptions(group: string, options: SubscribeOptions = {}, defaults: SubscriptionDefaults = {}): ResolvedSubscribeOptions {
  const concurrency = options.concurrency ?? defaults.concurrency ?? DEFAULT_CONCURRENCY;
  const maxRetries = options.maxRetries ?? defaults.maxRetries ?? DEFAULT_MAX_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? defaults.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  // AMQP prefetch is a 16-bit field; a larger value would be silently truncated by the broker.
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 65_535) {
    throw new ConfigError(`bus.subscribe(${group}).concurrency`, 'an integer from 1 to 65535', concurrency);
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new ConfigError(`bus.subscribe(${group}).maxRetries`, 'an integer ≥ 0', maxRetries);
  }
  if (!Number.isFinite(retryDelayMs) || retryDelayMs < 0) {
    throw new ConfigError(`bus.subscribe(${group}).retryDelayMs`, 'a number of milliseconds ≥ 0', retryDelayMs);
  }
  return { concurrency, maxRetries, retryDelayMs, temporary: options.temporary === true, batchTogether: options.batchTogether === true };
}

/**
 * A cheap structural check at publish time (the full zod validation runs where a message comes
 * in from outside, in the AMQP consumer): the routing key is the type, and the id is what
 * consumers deduplicate on, so neither may be missing.
 */
export function checkPublishable(event: CloudEvent): void {
  if (
    typeof event !== 'object' || event === null ||
    event.specversion !== '1.0' ||
    typeof event.id !== 'string' || event.id.length === 0 ||
    typeof event.type !== 'string' || event.type.length === 0 || event.type.length > 255 ||
    typeof event.source !== 'string' || event.source.length === 0
  ) {
    const id = typeof event === 'object' && event !== null && typeof event.id === 'string' ? event.id : undefined;
    throw new InputError('cannot publish: not a CloudEvent 1.0 with id, source and a type of 1-255 characters', { messageId: id, field: 'type' });
  }
}

/**
 * A structural guard for events this process serialized itself (memory transport copies): it
 * narrows without a cast; anything from outside goes through `parseEnvelope` instead.
 */
export function isCloudEvent(value: unknown): value is CloudEvent {
  return (
    typeof value === 'object' && value !== null &&
    'specversion' in value && value.specversion === '1.0' &&
    'id' in value && typeof value.id === 'string' &&
    'type' in value && typeof value.type === 'string' &&
    'source' in value && typeof value.source === 'string'
  );
}

/** Error text for logs and dead-letter reasons; a thrown non-Error is still described. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : `non-Error thrown: ${String(error)}`;
}
