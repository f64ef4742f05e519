/**
 * What the AMQP transport declares on the broker, and why:
 *
 * - `<exchange>` (default `busbar.events`): one durable topic exchange; the routing key is the
 *   event type.
 * - `<prefix>.<group>`: a durable quorum queue per consumer group (replicated, at-least-once),
 *   bound to the exchange with the group's patterns. Bindings are only ever added: a pattern that
 *   a newer version of a consumer no longer uses must be unbound by an operator.
 * - `<prefix>.<group>.retry`: a durable quorum queue without consumers. A failed delivery is
 *   republished into it with a per-message expiration (retryDelayMs × attempt); on expiry the
 *   broker dead-letters it back to the group queue through the default exchange, at-least-once
 *   (`x-dead-letter-strategy`, RabbitMQ ≥ 3.10). Messages expire only at the head of a queue, so a
 *   retry may wait behind a longer-delayed one: delays are minimums.
 * - `<prefix>.<group>.dlq`: a durable classic queue. Dead letters are published into it directly
 *   with a confirm (no dead-letter exchange `busbar.dlx`: a direct, confirmed publish carries our
 *   reason headers and cannot be lost between two queues). It is classic, not quorum, because
 *   listing dead letters reads them and returns them unacknowledged; quorum queues count such
 *   returns and, with a delivery limit (the default from RabbitMQ 4.0), would drop them.
 */
import type { Channel } from 'amqplib';
import { ConfigError } from '../../canonical/errors.js';
import { describeError } from './subscription-spec.js';

export interface GroupQueues {
  readonly queue: string;
  readonly retry: string;
  readonly dlq: string;
}

export function groupQueues(prefix: string, group: string): GroupQueues {
  const queue = `${prefix}.${group}`;
  return { queue, retry: `${queue}.retry`, dlq: `${queue}.dlq` };
}

export async function declareExchange(channel: Channel, exchange: string): Promise<void> {
  await explainPrecondition(`exchange ${exchange}`, () => channel.assertExchange(exchange, 'topic', { durable: true }));
}

/**
 * A temporary group (SubscribeOptions.temporary): one exclusive, auto-deleted classic queue,
 * removed by the broker when its consumer or connection goes; no retry or dead-letter queue.
 */
export async function declareTemporaryGroup(channel: Channel, exchange: string, queue: string, patterns: readonly string[]): Promise<void> {
  await declareExchange(channel, exchange);
  await channel.assertQueue(queue, { durable: false, exclusive: true, autoDelete: true, arguments: { 'x-queue-type': 'classic' } });
  for (const pattern of patterns) await channel.bindQueue(queue, exchange, pattern);
}

export async function declareGroup(channel: Channel, exchange: string, queues: GroupQueues, patterns: readonly string[]): Promise<void> {
  await declareExchange(channel, exchange);
  await explainPrecondition(`queue ${queues.queue}`, () =>
    channel.assertQueue(queues.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } }),
  );
  await explainPrecondition(`queue ${queues.retry}`, () =>
    channel.assertQueue(queues.retry, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queues.queue,
        'x-dead-letter-strategy': 'at-least-once',
        // Required by at-least-once dead-lettering: the broker refuses rather than drops on overflow.
        'x-overflow': 'reject-publish',
      },
    }),
  );
  await explainPrecondition(`queue ${queues.dlq}`, () =>
    channel.assertQueue(queues.dlq, { durable: true, arguments: { 'x-queue-type': 'classic' } }),
  );
  for (const pattern of patterns) await channel.bindQueue(queues.queue, exchange, pattern);
}

/**
 * RabbitMQ answers a declaration that differs from an existing queue or exchange with
 * 406 PRECONDITION_FAILED: that is a configuration clash, not a passing fault.
 */
async function explainPrecondition<T>(what: string, declare: () => Promise<T>): Promise<T> {
  try {
    return await declare();
  } catch (error) {
    if (amqpReplyCode(error) === 406) {
      throw new ConfigError(what, `the same declaration as the existing one on the broker; delete it or choose another name (${describeError(error)})`, undefined, { cause: error });
    }
    throw error;
  }
}

/** The AMQP reply code amqplib puts on errors from a channel closed by the broker (404, 406, ...). */
export function amqpReplyCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') return error.code;
  return undefined;
}
