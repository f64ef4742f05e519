/**
 * How an event travels as an AMQP message, and how a message is read back. CloudEvents AMQP
 * binding 1.0, structured content mode: the body is the JSON envelope and the content type is
 * `application/cloudevents+json`. The message id is the event id, so a re-sent event keeps it
 * and consumers deduplicate with their inbox.
 *
 * publishBatch packs runs of consecutive events with the same type (so the same routing key)
 * into one message in the CloudEvents JSON batch format (JSON Event Format 1.0 §4,
 * `application/cloudevents-batch+json`: a JSON array of envelopes). The broker then routes,
 * stores and confirms one message per run instead of one per event, which is what makes
 * confirmed, persistent publishing fast. Consumers unpack it and hand the events to the handler
 * one by one, in order; retries and dead letters are always single events.
 *
 * Our headers (all `x-busbar-*` so they cannot clash with a producer's own):
 * - `x-busbar-attempt`: the attempt number of the next delivery (absent = 1).
 * - `x-busbar-routing-key`: the original routing key, kept when a message is moved between
 *   queues through the default exchange (retry, dead letter, replay).
 * - on dead letters: `x-busbar-reason`, `x-busbar-attempts`, `x-busbar-group`, `x-busbar-dead-at`.
 */
import { createHash } from 'node:crypto';
import type { Message, Options } from 'amqplib';
import type { CloudEvent } from '../../canonical/envelope.js';
import { parseEnvelope } from '../../canonical/envelope.js';
import { InputError } from '../../canonical/errors.js';
import type { DeadLetter } from './bus.js';
import { describeError } from './subscription-spec.js';

export const CLOUDEVENTS_JSON = 'application/cloudevents+json';
export const CLOUDEVENTS_BATCH_JSON = 'application/cloudevents-batch+json';
/** A batch message carries at most this many events or bytes (the last event may cross it). */
export const MAX_BATCH_EVENTS = 100;
export const MAX_BATCH_BYTES = 256 * 1024;
export const HEADER_ATTEMPT = 'x-busbar-attempt';
export const HEADER_ROUTING_KEY = 'x-busbar-routing-key';
export const HEADER_REASON = 'x-busbar-reason';
export const HEADER_ATTEMPTS = 'x-busbar-attempts';
export const HEADER_GROUP = 'x-busbar-group';
export const HEADER_DEAD_AT = 'x-busbar-dead-at';
/** The type under which a dead letter that is not a CloudEvent is shown by deadLetters.list. */
export const INVALID_MESSAGE_TYPE = 'busbar.bus.invalid_message';

/** Dead-letter reasons end up in headers and logs; a runaway error message must not bloat them. */
const MAX_REASON_LENGTH = 2000;

export interface EncodedEvent {
  readonly content: Buffer;
  readonly options: Options.Publish;
}

export function encodeEvent(event: CloudEvent): EncodedEvent {
  return { content: Buffer.from(serialize(event), 'utf8'), options: messageOptions(event) };
}

/** The event as JSON text; an event JSON cannot represent is an InputError naming the event. */
export function serialize(event: CloudEvent): string {
  try {
    return JSON.stringify(event);
  } catch (error) {
    throw new InputError(`cannot publish event ${event.id} (${event.type}): not JSON-serializable: ${describeError(error)}`, { messageId: event.id }, { cause: error });
  }
}

export function messageOptions(event: CloudEvent): Options.Publish {
  return {
    persistent: true,
    contentType: CLOUDEVENTS_JSON,
    messageId: event.id,
    type: event.type,
    timestamp: Math.floor(Date.now() / 1000),
  };
}

/**
 * One message for a run of events of the same type: the CloudEvents JSON batch format. The
 * events are serialized one by one so the caller can cut the run at MAX_BATCH_BYTES.
 */
export function encodeBatch(serialized: readonly string[], first: CloudEvent): EncodedEvent {
  return {
    content: Buffer.from(`[${serialized.join(',')}]`, 'utf8'),
    options: {
      persistent: true,
      contentType: CLOUDEVENTS_BATCH_JSON,
      messageId: `batch:${first.id}:${serialized.length}`,
      type: first.type,
      timestamp: Math.floor(Date.now() / 1000),
    },
  };
}

/** Properties for moving a message to another queue, keeping what identifies it. */
export function forwardOptions(message: Message, headers: Record<string, string | number>): Options.Publish {
  const { properties } = message;
  const options: Options.Publish = { persistent: true, headers };
  if (typeof properties.contentType === 'string') options.contentType = properties.contentType;
  if (typeof properties.messageId === 'string') options.messageId = properties.messageId;
  if (typeof properties.type === 'string') options.type = properties.type;
  if (typeof properties.timestamp === 'number') options.timestamp = properties.timestamp;
  return options;
}

/** One event of a delivery, or the reason an element could not be read, with its raw text. */
export type DecodedItem =
  | { readonly ok: true; readonly event: CloudEvent }
  | { readonly ok: false; readonly reason: string; readonly raw: string };

export interface DecodedDelivery {
  /** A batch message: its events are moved to retry or dead-letter queues one by one. */
  readonly batch: boolean;
  readonly items: readonly DecodedItem[];
  readonly attempt: number;
  readonly routingKey: string;
}

/** Reads a delivery; a body or batch element that is not a valid CloudEvent is reported, never thrown. */
export function decodeDelivery(message: Message, exchange: string): DecodedDelivery {
  const attempt = readPositiveInteger(header(message, HEADER_ATTEMPT)) ?? 1;
  const forwardedKey = header(message, HEADER_ROUTING_KEY);
  const routingKey = message.fields.exchange === exchange || typeof forwardedKey !== 'string' ? message.fields.routingKey : forwardedKey;
  if (message.properties.contentType !== CLOUDEVENTS_BATCH_JSON) {
    const parsed = parseBody(message);
    const item: DecodedItem = parsed.ok ? parsed : { ok: false, reason: parsed.reason, raw: message.content.toString('utf8') };
    return { batch: false, items: [item], attempt, routingKey };
  }
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString('utf8'));
  } catch (error) {
    body = undefined;
    const reason = `batch message body is not JSON: ${describeError(error)}`;
    return { batch: false, items: [{ ok: false, reason, raw: message.content.toString('utf8') }], attempt, routingKey };
  }
  if (!Array.isArray(body)) {
    return { batch: false, items: [{ ok: false, reason: 'batch message body is not a JSON array', raw: message.content.toString('utf8') }], attempt, routingKey };
  }
  const items = body.map((element: unknown, index): DecodedItem => {
    try {
      return { ok: true, event: parseEnvelope(element) };
    } catch (error) {
      return { ok: false, reason: `batch element #${index}: ${describeError(error)}`, raw: JSON.stringify(element) ?? 'undefined' };
    }
  });
  return { batch: true, items, attempt, routingKey };
}

/** Reads a message from a dead-letter queue as a DeadLetter, whatever its body. */
export function decodeDeadLetter(message: Message, group: string): DeadLetter {
  const parsed = parseBody(message);
  const event = parsed.ok ? parsed.event : invalidMessageEvent(message, group, parsed.reason);
  const reason = header(message, HEADER_REASON);
  const deadAt = header(message, HEADER_DEAD_AT);
  return {
    id: event.id,
    group,
    event,
    reason: typeof reason === 'string' ? reason : 'dead-lettered without a recorded reason',
    attempts: readPositiveInteger(header(message, HEADER_ATTEMPTS)) ?? 0,
    deadAt: typeof deadAt === 'string' ? deadAt : new Date(0).toISOString(),
  };
}

/** The id a dead letter is listed and replayed under; must agree with decodeDeadLetter. */
export function deadLetterId(message: Message, group: string): string {
  return decodeDeadLetter(message, group).id;
}

export function truncateReason(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH)}… (truncated)`;
}

function parseBody(message: Message): { ok: true; event: CloudEvent } | { ok: false; reason: string } {
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `message body is not JSON: ${describeError(error)}` };
  }
  try {
    return { ok: true, event: parseEnvelope(body) };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  }
}

/**
 * A dead letter that is not a CloudEvent is still shown, as a quarantine record carrying the raw
 * text and a stable id (its message id, or a hash of its body) so that it can be inspected.
 */
function invalidMessageEvent(message: Message, group: string, reason: string): CloudEvent {
  const messageId = message.properties.messageId;
  const id = typeof messageId === 'string' && messageId.length > 0
    ? messageId
    : `sha256:${createHash('sha256').update(message.content).digest('hex').slice(0, 32)}`;
  return {
    specversion: '1.0',
    id,
    source: `/hub/bus/amqp/${group}`,
    type: INVALID_MESSAGE_TYPE,
    data: { raw: message.content.toString('utf8'), reason, routingKey: message.fields.routingKey },
  };
}

function header(message: Message, name: string): unknown {
  const headers: unknown = message.properties.headers;
  if (typeof headers !== 'object' || headers === null || !(name in headers)) return undefined;
  const value: unknown = Object.getOwnPropertyDescriptor(headers, name)?.value;
  // amqplib decodes AMQP long-strings in headers as Buffers.
  return Buffer.isBuffer(value) ? value.toString('utf8') : value;
}

function readPositiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}
