/**
 * The quarantine store (hub.quarantine, hub/db/migrations/0003_quarantine.sql). `recordQuarantine`
 * takes the `tx` of the caller, so a record is quarantined in the same transaction as the rest of
 * its batch is stored: both commit or neither. Listing is newest first with keyset paging on id
 * (`before`), which stays fast and stable while new records arrive, unlike OFFSET.
 */
import { QuarantinedReadingSchema, type QuarantinedReading } from '../../canonical/model/quarantine.js';
import type { Queryable } from '../db/database.js';
import { decodeRaw, encodeRaw } from './raw-text.js';

/** Rows per INSERT: 11 parameters each stays far below PostgreSQL's 65,535 (as in the outbox). */
export const QUARANTINE_INSERT_BATCH = 1_000;
export const QUARANTINE_LIST_MAX = 1_000;

/** A stored record: the canonical fields plus what the hub added. */
export interface QuarantineEntry extends QuarantinedReading {
  /** bigserial as a string (row-shape rule for int8); larger is newer. */
  readonly id: string;
  readonly batch?: string;
  /** Size of the record as received, in UTF-8 bytes. */
  readonly rawBytes: number;
  /** The raw text was cut at RAW_LIMIT_BYTES; `raw` then ends with a marker. */
  readonly rawTruncated: boolean;
  /** When the hub stored it (quarantinedAt is when the producer refused it). */
  readonly recordedAt: string;
}

export interface QuarantineFilter {
  readonly source?: string;
  readonly file?: string;
  readonly batch?: string;
  /** Case-insensitive substring of the reason, e.g. `unknown meter`. */
  readonly reasonContains?: string;
}

export interface QuarantineListOptions extends QuarantineFilter {
  /** 1..QUARANTINE_LIST_MAX. */
  readonly limit: number;
  /** Only entries older than this id: the `nextBefore` of the previous page. */
  readonly before?: string;
}

export interface QuarantinePage {
  readonly items: QuarantineEntry[];
  /** Pass as `before` for the next page; absent on the last page. */
  readonly nextBefore?: string;
}

interface QuarantineRow {
  id: string;
  source: string;
  file: string | null;
  line: string | null;
  byte_offset: string | null;
  message_id: string | null;
  field: string | null;
  reason: string;
  raw: Uint8Array;
  raw_bytes: string;
  quarantined_at: Date;
  batch: string | null;
  recorded_at: Date;
}

const COLUMNS = 'id, source, file, line, byte_offset, message_id, field, reason, raw, raw_bytes, quarantined_at, batch, recorded_at';

/** bigint's range: a longer id cannot exist, and PostgreSQL would reject it as an error. */
const MAX_ID = 9_223_372_036_854_775_807n;
export function isQuarantineId(id: string): boolean {
  return /^[0-9]{1,19}$/.test(id) && BigInt(id) <= MAX_ID;
}

function validated(records: readonly QuarantinedReading[]): QuarantinedReading[] {
  return records.map((record, index) => {
    const parsed = QuarantinedReadingSchema.safeParse(record);
    if (parsed.success) return parsed.data;
    // A record the quarantine itself refuses is a bug of its producer: fail its transaction here.
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
    throw new Error(`recordQuarantine: record ${index} from ${JSON.stringify(record.source)} cannot be quarantined: ${issues}`, { cause: parsed.error });
  });
}

/** Inserts the records in the given order (ids follow it) and returns how many were written. */
export async function recordQuarantine(tx: Queryable, records: readonly QuarantinedReading[], batch?: string): Promise<number> {
  const rows = validated(records).map((record) => {
    const raw = encodeRaw(record.raw);
    const { file, line, offset, messageId, field } = record.location;
    return [record.source, file ?? null, line ?? null, offset ?? null, messageId ?? null, field ?? null, record.reason, raw.bytes, raw.totalBytes, record.quarantinedAt, batch ?? null];
  });
  const width = 11;
  let written = 0;
  for (let start = 0; start < rows.length; start += QUARANTINE_INSERT_BATCH) {
    const chunk = rows.slice(start, start + QUARANTINE_INSERT_BATCH);
    const placeholders = chunk.map((_row, i) => `(${Array.from({ length: width }, (_cell, k) => `$${i * width + k + 1}`).join(', ')})`);
    const result = await tx.query(
      `INSERT INTO hub.quarantine (source, file, line, byte_offset, message_id, field, reason, raw, raw_bytes, quarantined_at, batch) VALUES ${placeholders.join(', ')}`,
      chunk.flat(),
    );
    written += result.rowCount;
  }
  return written;
}

function toEntry(row: QuarantineRow): QuarantineEntry {
  const location = {
    ...(row.file === null ? {} : { file: row.file }),
    ...(row.line === null ? {} : { line: Number(row.line) }),
    ...(row.byte_offset === null ? {} : { offset: Number(row.byte_offset) }),
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.field === null ? {} : { field: row.field }),
  };
  const rawBytes = Number(row.raw_bytes);
  return {
    id: row.id,
    source: row.source,
    location,
    reason: row.reason,
    ...decodeRaw(row.raw, rawBytes),
    rawBytes,
    quarantinedAt: row.quarantined_at.toISOString(),
    ...(row.batch === null ? {} : { batch: row.batch }),
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** WHERE clause and parameters of a filter; `params` may already hold earlier parameters. */
function whereOf(filter: QuarantineFilter, params: unknown[]): string[] {
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.source !== undefined) add((p) => `source = ${p}`, filter.source);
  if (filter.file !== undefined) add((p) => `file = ${p}`, filter.file);
  if (filter.batch !== undefined) add((p) => `batch = ${p}`, filter.batch);
  // strpos rather than LIKE: a reason fragment with % or _ is meant literally.
  if (filter.reasonContains !== undefined) add((p) => `strpos(lower(reason), lower(${p})) > 0`, filter.reasonContains);
  return conditions;
}

export async function listQuarantine(db: Queryable, options: QuarantineListOptions): Promise<QuarantinePage> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > QUARANTINE_LIST_MAX) {
    throw new RangeError(`listQuarantine: limit must be an integer 1-${QUARANTINE_LIST_MAX}, got ${options.limit}`);
  }
  if (options.before !== undefined && !isQuarantineId(options.before)) {
    throw new RangeError(`listQuarantine: before must be a quarantine id, got ${JSON.stringify(options.before)}`);
  }
  const params: unknown[] = [];
  const conditions = whereOf(options, params);
  if (options.before !== undefined) {
    params.push(options.before);
    conditions.push(`id < $${params.length}::bigint`);
  }
  // One row more than asked tells whether another page follows.
  params.push(options.limit + 1);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const result = await db.query<QuarantineRow>(`SELECT ${COLUMNS} FROM hub.quarantine ${where} ORDER BY id DESC LIMIT $${params.length}`, params);
  const items = result.rows.slice(0, options.limit).map(toEntry);
  const last = items.at(-1);
  return result.rows.length > options.limit && last !== undefined ? { items, nextBefore: last.id } : { items };
}

/** The entry, or undefined when no entry has this id (including ids that are not ids at all). */
export async function getQuarantined(db: Queryable, id: string): Promise<QuarantineEntry | undefined> {
  if (!isQuarantineId(id)) return undefined;
  const result = await db.query<QuarantineRow>(`SELECT ${COLUMNS} FROM hub.quarantine WHERE id = $1::bigint`, [id]);
  const row = result.rows[0];
  return row === undefined ? undefined : toEntry(row);
}

export async function countQuarantine(db: Queryable, filter: QuarantineFilter = {}): Promise<number> {
  const params: unknown[] = [];
  const conditions = whereOf(filter, params);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const result = await db.query<{ count: string }>(`SELECT count(*) AS count FROM hub.quarantine ${where}`, params);
  return Number(result.rows[0]?.count ?? '0');
}
