/**
 * Quarantine records for readings the meter data core cannot place (DESIGN.md: bad input never
 * stops the flow, and nothing is dropped): the core is the source that refused them, the event id
 * is where they came from, the reason says what was looked up and failed, and the raw text is the
 * block or read as JSON, so an operator can fix the master data and replay it.
 */
import type { CloudEvent } from '../canonical/envelope.js';
import type { InputLocationRecord, QuarantinedReading } from '../canonical/model/quarantine.js';

export interface QuarantineContext {
  /** The core's consumer name, e.g. `mdm.ingest`: the source of the record. */
  readonly consumer: string;
  readonly quarantinedAt: string;
}

/** The envelope's id when it has one (an event refused for its envelope may not). */
function messageIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const id: unknown = Reflect.get(event, 'id');
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function rawJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cyclic or BigInt value cannot be JSON; its text form still tells the operator something.
    return String(value);
  }
}

/** An event that failed envelope or schema validation: the whole envelope is the raw text. */
export function invalidEventRecord(event: unknown, message: string, context: QuarantineContext, field?: string): QuarantinedReading {
  const messageId = messageIdOf(event);
  const location: InputLocationRecord = {
    ...(messageId === undefined ? {} : { messageId }),
    ...(field === undefined ? {} : { field }),
  };
  return { source: context.consumer, location, reason: `invalid event: ${message}`, raw: rawJson(event), quarantinedAt: context.quarantinedAt };
}

/**
 * Readings of a valid event that cannot be stored: `reason` is a machine-readable code
 * (`unknown-meter`, …) and `detail` the human text; `raw` is the block, read or part of a block.
 */
export function readingRecord(
  event: Pick<CloudEvent, 'id' | 'source' | 'type'>,
  failure: { readonly reason: string; readonly detail: string; readonly field?: string },
  raw: unknown,
  context: QuarantineContext,
): QuarantinedReading {
  const location: InputLocationRecord = { messageId: event.id, ...(failure.field === undefined ? {} : { field: failure.field }) };
  return {
    source: context.consumer,
    location,
    reason: `${failure.reason}: ${failure.detail} (${event.type} from ${event.source})`,
    raw: rawJson(raw),
    quarantinedAt: context.quarantinedAt,
  };
}
