/**
 * JSON schemas of the REST bodies, shared by validation and the OpenAPI document. The envelope
 * schema only checks shape; `parseEnvelope` (canonical) is the authority on CloudEvents rules.
 */

/** Topic pattern in AMQP syntax: dot-separated words, `*` one word, `#` zero or more. */
export const TOPIC_PATTERN = '^(\\*|#|[A-Za-z0-9_-]+)(\\.(\\*|#|[A-Za-z0-9_-]+))*$';

export const cloudEventSchema = {
  $id: 'CloudEvent',
  type: 'object',
  description: 'A CloudEvents 1.0 envelope in structured JSON mode carrying one canonical payload.',
  properties: {
    specversion: { type: 'string', enum: ['1.0'] },
    id: { type: 'string', description: 'UUIDv7, unique per source.' },
    source: { type: 'string', description: 'URI-reference of the producer.' },
    type: { type: 'string', description: 'Catalog name, e.g. interval_block.received.' },
    time: { type: 'string', description: 'RFC 3339 instant with an offset.' },
    subject: { type: 'string' },
    datacontenttype: { type: 'string' },
    dataschema: { type: 'string' },
    correlationid: { type: 'string' },
    causationid: { type: 'string' },
    data: { description: 'The canonical payload.' },
  },
  required: ['specversion', 'id', 'source', 'type', 'data'],
  // Extension attributes are allowed (CloudEvents 1.0 §3.1); parseEnvelope checks their names.
  additionalProperties: true,
} as const;

export const deadLetterSchema = {
  $id: 'DeadLetter',
  type: 'object',
  properties: {
    id: { type: 'string' },
    group: { type: 'string' },
    event: { $ref: 'CloudEvent#' },
    reason: { type: 'string' },
    attempts: { type: 'integer' },
    deadAt: { type: 'string' },
  },
  required: ['id', 'group', 'event', 'reason', 'attempts', 'deadAt'],
} as const;

export const problemResponses = {
  401: { description: 'No or invalid bearer token.', $ref: 'Problem#' },
  403: { description: 'The token lacks the required role.', $ref: 'Problem#' },
} as const;

export const quarantineEntrySchema = {
  $id: 'QuarantineEntry',
  type: 'object',
  description: 'An input record that could not be read, with where it came from, why, and its raw text.',
  properties: {
    id: { type: 'string', description: 'bigint as a string; larger is newer.' },
    source: { type: 'string', description: 'The adapter instance or core that refused the record.' },
    location: {
      type: 'object',
      properties: {
        file: { type: 'string' },
        line: { type: 'integer', minimum: 1 },
        offset: { type: 'integer', minimum: 0, description: 'Byte offset in the file.' },
        messageId: { type: 'string' },
        field: { type: 'string' },
      },
    },
    reason: { type: 'string' },
    raw: { type: 'string', description: 'The record as received; beyond 64 KiB cut, followed by a marker.' },
    rawBytes: { type: 'integer', description: 'Size of the record as received, in UTF-8 bytes.' },
    rawTruncated: { type: 'boolean' },
    quarantinedAt: { type: 'string', description: 'When the producer refused the record.' },
    batch: { type: 'string', description: 'The import run or file load it belonged to.' },
    recordedAt: { type: 'string', description: 'When the hub stored it.' },
  },
  required: ['id', 'source', 'location', 'reason', 'raw', 'rawBytes', 'rawTruncated', 'quarantinedAt', 'recordedAt'],
} as const;
