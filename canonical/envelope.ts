/**
 * The CloudEvents 1.0 envelope, structured JSON mode (CloudEvents 1.0 core spec and JSON event
 * format). Every message on the bus is one envelope carrying one canonical payload.
 */
import { v7 as uuidv7 } from 'uuid';
import { InputError } from './errors.js';

export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  /** UUIDv7: unique per source; (source, id) identifies the event, a re-sent event keeps it. */
  id: string;
  /** URI-reference of the producer, e.g. `/adapters/cmep/feedA`. */
  source: string;
  /** The catalog name, `<aggregate>.<past-tense>` or `<aggregate>.<verb>_requested`. */
  type: string;
  /** When the occurrence happened (RFC 3339, UTC), not the publish time. */
  time?: string;
  /** What the event is about within source (usage point, meter number); used for routing. */
  subject?: string;
  datacontenttype?: string;
  dataschema?: string;
  data: T;
  correlationid?: string;
  causationid?: string;
}

/** CloudEvents 1.0: extension names are lower-case a-z and 0-9 only, at most 20 characters. */
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
/** RFC 3339 §5.6 date-time with a mandatory offset (Z or ±hh:mm). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

const CORE_ATTRIBUTES = new Set([
  'specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'dataschema', 'data', 'data_base64',
]);
/** Attributes that, when present, are non-empty strings. */
const REQUIRED_STRINGS = ['id', 'source', 'type'] as const;
const OPTIONAL_STRINGS = ['subject', 'datacontenttype', 'dataschema', 'correlationid', 'causationid'] as const;

function invalid(field: string, message: string): never {
  throw new InputError(`invalid CloudEvent: ${field}: ${message}`, { field });
}

/** RFC 3339 §5.7: the pattern alone would let 2024-02-30T25:00:00Z through. */
function isRealDateTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth &&
    (hour ?? 0) <= 23 && (minute ?? 0) <= 59 && (second ?? 0) <= 60 && // 60: a leap second
    (offsetHour ?? 0) <= 23 && (offsetMinute ?? 0) <= 59;
}

function assertEnvelope(input: unknown): asserts input is CloudEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) invalid('(envelope)', 'expected a JSON object');
  const attribute = (name: string): unknown => Reflect.get(input, name);
  if (attribute('specversion') !== '1.0') invalid('specversion', 'expected "1.0"');
  for (const name of REQUIRED_STRINGS) {
    const value = attribute(name);
    if (typeof value !== 'string' || value.length === 0) invalid(name, 'expected a non-empty string');
  }
  for (const name of OPTIONAL_STRINGS) {
    const value = attribute(name);
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) invalid(name, 'expected a non-empty string');
  }
  const time = attribute('time');
  if (time !== undefined) {
    const match = typeof time === 'string' ? RFC3339.exec(time) : null;
    if (match === null) invalid('time', 'must be an RFC 3339 timestamp with an offset');
    if (!isRealDateTime(match)) invalid('time', 'must be a real date and time');
  }
  if (!('data' in input)) invalid('data', 'expected the event data');
  for (const name in input) {
    if (!CORE_ATTRIBUTES.has(name) && !EXTENSION_NAME.test(name)) {
      throw new InputError(`invalid CloudEvent: extension attribute "${name}" must be 1-20 characters of a-z and 0-9`, { field: name });
    }
  }
}

/**
 * Validates an envelope's attributes (not its data: the catalog checks that) and returns the
 * same object. Hand-written rather than a schema: it runs once per message on every consumer.
 */
export function parseEnvelope(input: unknown): CloudEvent {
  assertEnvelope(input);
  return input;
}

export interface NewEvent<T> {
  type: string;
  source: string;
  data: T;
  subject?: string;
  time?: Date | string;
  id?: string;
  dataschema?: string;
  correlationid?: string;
  causationid?: string;
}

/** Builds an envelope with a fresh UUIDv7 id. Does not validate `data`; see the catalog's `newEvent`. */
export function createEnvelope<T>(init: NewEvent<T>): CloudEvent<T> {
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: init.id ?? uuidv7(),
    source: init.source,
    type: init.type,
    time: init.time === undefined ? new Date().toISOString() : typeof init.time === 'string' ? init.time : init.time.toISOString(),
    datacontenttype: 'application/json',
    data: init.data,
  };
  if (init.subject !== undefined) event.subject = init.subject;
  if (init.dataschema !== undefined) event.dataschema = init.dataschema;
  if (init.correlationid !== undefined) event.correlationid = init.correlationid;
  if (init.causationid !== undefined) event.causationid = init.causationid;
  return event;
}

/** A follow-up event keeps the correlation of its cause and names the cause. */
export function causedBy(cause: CloudEvent): Pick<NewEvent<unknown>, 'correlationid' | 'causationid'> {
  return { correlationid: cause.correlationid ?? cause.id, causationid: cause.id };
}
