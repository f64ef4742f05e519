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

/** Who changed a stored version, what kind of change it was, when and why (mdm/sql.ts Audit). */
const readingAuditSchema = {
  type: 'object',
  description: 'The audit trail of one stored version.',
  properties: {
    by: { type: 'string', description: 'A user, or the source of an import (e.g. `cmep:demo`).' },
    kind: { type: 'string', enum: ['import', 'edit', 'estimate'] },
    reason: { type: ['string', 'null'], description: 'The file or correlation id of an import, the VEE rule or the user note.' },
    createdAt: { type: 'string', description: 'When this version was written.' },
  },
  required: ['by', 'kind', 'reason', 'createdAt'],
} as const;

export const intervalDaySchema = {
  $id: 'IntervalDay',
  type: 'object',
  description:
    'One stored version of one local day of interval data. Interval i covers [dayStart + i·intervalSeconds, dayStart + (i+1)·intervalSeconds); '
    + 'a DST day has 23 or 25 hours of intervals. A missing value is null, never 0.',
  properties: {
    localDate: { type: 'string', description: 'The day in the usage point\'s time zone, YYYY-MM-DD.' },
    version: { type: 'integer', minimum: 1 },
    isCurrent: { type: 'boolean', description: 'The version readers and billing use; older ones are the audit trail.' },
    dayStart: { type: 'string', description: 'UTC instant of the local midnight.' },
    intervalSeconds: { type: 'integer' },
    intervalCount: { type: 'integer', description: 'Intervals in the local day (96 quarter-hours; 92 or 100 on DST days).' },
    values: { type: 'array', items: { type: ['string', 'null'] }, description: 'Decimal strings, one per interval.' },
    qualities: { type: 'array', items: { type: 'array', items: { type: 'string' } }, description: 'IEC 61968-9 quality codes per interval.' },
    updatedAt: { type: 'string', description: 'When empty intervals of this version were last completed in place.' },
    audit: readingAuditSchema,
  },
  required: ['localDate', 'version', 'isCurrent', 'dayStart', 'intervalSeconds', 'intervalCount', 'values', 'qualities', 'updatedAt', 'audit'],
} as const;

export const registerReadSchema = {
  $id: 'RegisterRead',
  type: 'object',
  description: 'One stored version of a register (dial) read, keyed on the meter that took it as well as the usage point.',
  properties: {
    meter: { type: 'string', description: 'mRID of the meter.' },
    readingType: { type: 'string' },
    register: { type: 'string', description: 'Empty when the source does not distinguish registers.' },
    timeStamp: { type: 'string' },
    value: { type: ['string', 'null'], description: 'A decimal string; null when the value is missing.' },
    qualities: { type: 'array', items: { type: 'string' } },
    reason: { type: ['string', 'null'], description: 'Why the read was taken (e.g. meter exchange).' },
    source: { type: ['string', 'null'] },
    version: { type: 'integer', minimum: 1 },
    isCurrent: { type: 'boolean' },
    audit: readingAuditSchema,
  },
  required: ['meter', 'readingType', 'register', 'timeStamp', 'value', 'qualities', 'reason', 'source', 'version', 'isCurrent', 'audit'],
} as const;

/** One item of the VEE exception queue (mdm/vee/exception-store.ts StoredException). */
export const veeExceptionSchema = {
  $id: 'VeeException',
  type: 'object',
  description: 'A VEE work item: what a validation rule found on one local day of one usage point and reading type, and who closed it how.',
  properties: {
    id: { type: 'string', description: 'bigint as a string.' },
    usagePoint: { type: 'string', description: 'mRID of the usage point.' },
    readingType: { type: 'string' },
    localDate: { type: 'string', description: 'The validated day in the usage point\'s time zone, YYYY-MM-DD.' },
    rule: { type: 'string', description: 'The VEE rule, e.g. gaps or spike.' },
    severity: { type: 'string', enum: ['info', 'warning', 'error'] },
    periodStart: { type: 'string' },
    periodEnd: { type: 'string' },
    message: { type: 'string' },
    details: { description: 'Rule-specific detail, e.g. the intervals left for estimation.' },
    status: { type: 'string', enum: ['open', 'resolved', 'ignored'] },
    raisedAt: { type: 'string' },
    lastSeenAt: { type: 'string', description: 'When a re-validation last found the same problem.' },
    resolvedAt: { type: ['string', 'null'] },
    resolvedBy: { type: ['string', 'null'], description: 'A user, or mdm.vee when a re-validation no longer found it.' },
    resolutionNote: { type: ['string', 'null'] },
  },
  required: [
    'id', 'usagePoint', 'readingType', 'localDate', 'rule', 'severity', 'periodStart', 'periodEnd', 'message', 'details',
    'status', 'raisedAt', 'lastSeenAt', 'resolvedAt', 'resolvedBy', 'resolutionNote',
  ],
} as const;
