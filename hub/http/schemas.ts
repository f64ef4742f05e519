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
