/**
 * Building and checking canonical events: `newEvent` validates the data of a named event and
 * wraps it in a CloudEvents 1.0 envelope with its `dataschema`; `validateEvent` checks an
 * incoming envelope, then its data against the schema version the envelope names.
 */
import { type CloudEvent, createEnvelope, parseEnvelope } from '../envelope.js';
import { InputError } from '../errors.js';
import { catalogEntryOf, EventCatalog, type EventData, payloadError, type ReceivedEvent, unknownVersionError } from './catalog.js';
import { isEventType, type EventTypeName } from './names.js';

/** A canonical event as produced: the envelope, its type narrowed to one name, its data typed by the catalog. */
export type CanonicalEvent<T extends EventTypeName> = CloudEvent<EventData<T>> & { type: T };

/** The envelope attributes a producer chooses; `type`, `data` and `dataschema` come from the catalog. */
export interface EventInit {
  source: string;
  subject?: string;
  /** When the occurrence happened (not the publish time); defaults to now. */
  time?: Date | string;
  /** Keep the id when re-sending, so consumers de-duplicate on (source, id). */
  id?: string;
  correlationid?: string;
  causationid?: string;
}

const DATASCHEMA = /^busbar:schema\/([a-z_.]+)\/v([1-9]\d*)$/;

/** `busbar:schema/interval_block.received/v1`. */
export function dataschemaOf(type: EventTypeName, version: number = catalogEntryOf(type).current): string {
  return `busbar:schema/${type}/v${version}`;
}

/** Reads a dataschema URI into the event name and version it names. */
export function parseDataschema(uri: string): { type: string; version: number } {
  const match = DATASCHEMA.exec(uri);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new InputError(`invalid CloudEvent: dataschema ${JSON.stringify(uri)} is not busbar:schema/<type>/v<version>`, { field: 'dataschema' });
  }
  return { type: match[1], version: Number(match[2]) };
}

/**
 * Builds a canonical event: validates `data` against the current schema of `type` (an invalid
 * payload throws an InputError naming the field), stamps `dataschema` and checks the envelope.
 */
export function newEvent<T extends EventTypeName>(type: T, data: EventData<T>, init: EventInit): CanonicalEvent<T> {
  const entry = catalogEntryOf(type);
  const schema = entry.versions[entry.current];
  if (schema === undefined) throw unknownVersionError(type, entry.current);
  if (entry.accepts?.(data) !== true) {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw payloadError(type, parsed.error);
  }
  const event = { ...createEnvelope({ ...init, type, data, dataschema: dataschemaOf(type, entry.current) }), type };
  // The producer's own attributes (time format, source) get the same check a consumer applies.
  parseEnvelope(event);
  return event;
}

/**
 * Checks an incoming event: the envelope (CloudEvents 1.0), then the data against the schema
 * selected by `type` and the `dataschema` version. An absent `dataschema` means the current
 * version. An unknown type or version, or an invalid payload, throws an InputError.
 */
export function validateEvent(input: unknown): ReceivedEvent {
  const envelope = parseEnvelope(input);
  const type = envelope.type;
  if (!isEventType(type)) throw new InputError(`unknown event type ${JSON.stringify(type)}`, { field: 'type' });
  let version = catalogEntryOf(type).current;
  if (envelope.dataschema !== undefined) {
    const named = parseDataschema(envelope.dataschema);
    if (named.type !== type) {
      throw new InputError(`${type}: dataschema names another event type ${JSON.stringify(named.type)}`, { field: 'dataschema' });
    }
    version = named.version;
  }
  return EventCatalog[type].receive(envelope, version);
}
