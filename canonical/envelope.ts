/**
 * The CloudEvents 1.0 envelope, structured JSON mode (CloudEvents 1.0 core spec and JSON event
 * format). Every message on the bus is one envelope carrying one canonical payload.
 */
import { v7 as uuidv7 } from 'uuid';
import { DateTime } from 'luxon';
import { z } from 'zod';
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
/** RFC 3339 date-time with a mandatory offset (Z or ±hh:mm). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const CORE_ATTRIBUTES = new Set([
  'specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'dataschema', 'data', 'data_base64',
]);

const envelopeSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z
    .string()
    .regex(RFC3339, 'must be an RFC 3339 timestamp with an offset')
    // The pattern alone lets 2024-02-30T25:00:00Z through.
    .refine((text) => DateTime.fromISO(text, { setZone: true }).isValid, 'must be a real date and time')
    .optional(),
  subject: z.string().min(1).optional(),
  datacontenttype: z.string().min(1).optional(),
  dataschema: z.string().min(1).optional(),
  correlationid: z.string().min(1).optional(),
  causationid: z.string().min(1).optional(),
  data: z.unknown(),
});

/** Validates an envelope's attributes (not its data: the catalog checks that). */
export function parseEnvelope(input: unknown): CloudEvent {
  const parsed = envelopeSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(envelope)';
    throw new InputError(`invalid CloudEvent: ${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  for (const name of Object.keys(parsed.data)) {
    if (!CORE_ATTRIBUTES.has(name) && !EXTENSION_NAME.test(name)) {
      throw new InputError(`invalid CloudEvent: extension attribute "${name}" must be 1-20 characters of a-z and 0-9`, { field: name });
    }
  }
  return parsed.data;
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
