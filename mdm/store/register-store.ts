/**
 * Register reads (CIM Reading with accumulation bulkQuantity, cim.md §2-§3) per usage point ×
 * reading type × meter × register × timestamp, with versions (0003_reading_store.sql). Keyed on
 * the meter as well: a dial value belongs to one meter, and an exchange stores the removed
 * meter's final read and the installed meter's initial read at the same instant (cim.md §7).
 * Same rules as the interval store: identical re-imports change nothing, a missing value (null,
 * CIM valueMissing) is completed in place, a different value makes a new version.
 */
import { noteRowsAdded } from './statistics.js';
import { z } from 'zod';
import { type Audit, chunksOf, type SqlExecutor } from '../sql.js';
import { sameDecimal, sameQualities } from './day-vector.js';

export interface StoredRegisterRead {
  readonly usagePoint: string;
  readonly meter: string;
  readonly readingType: string;
  /** '' when the source does not distinguish registers. */
  readonly register?: string;
  readonly timeStamp: string;
  readonly value: string | null;
  readonly qualities: readonly string[];
  readonly reason?: string;
  readonly source?: string;
}

export interface RegisterReadVersion extends Required<Omit<StoredRegisterRead, 'reason' | 'source'>> {
  readonly reason: string | null;
  readonly source: string | null;
  readonly version: number;
  readonly isCurrent: boolean;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly changeKind: Audit['kind'];
  readonly changeReason: string | null;
}

export interface RegisterWriteSummary {
  created: number;
  filled: number;
  revised: number;
  unchanged: number;
}

const RegisterRowSchema = z.object({
  usage_point: z.string(),
  meter: z.string(),
  reading_type: z.string(),
  register_name: z.string(),
  read_at: z.date(),
  value: z.string().nullable(),
  qualities: z.array(z.string()),
  reason: z.string().nullable(),
  source: z.string().nullable(),
  version: z.number().int(),
  is_current: z.boolean(),
  created_at: z.date(),
  created_by: z.string(),
  change_kind: z.enum(['import', 'edit', 'estimate']),
  change_reason: z.string().nullable(),
});

const READ_COLUMNS = `usage_point_mrid::text AS usage_point, meter_mrid::text AS meter, reading_type, register_name, read_at, value,
  qualities, reason, source, version, is_current, created_at, created_by, change_kind, change_reason`;

function toVersion(row: unknown): RegisterReadVersion {
  const parsed = RegisterRowSchema.parse(row);
  return {
    usagePoint: parsed.usage_point,
    meter: parsed.meter,
    readingType: parsed.reading_type,
    register: parsed.register_name,
    timeStamp: parsed.read_at.toISOString(),
    value: parsed.value,
    qualities: parsed.qualities,
    reason: parsed.reason,
    source: parsed.source,
    version: parsed.version,
    isCurrent: parsed.is_current,
    createdAt: parsed.created_at,
    createdBy: parsed.created_by,
    changeKind: parsed.change_kind,
    changeReason: parsed.change_reason,
  };
}

function readKey(read: { usagePoint: string; readingType: string; meter: string; register?: string; timeStamp: string }): string {
  return `${read.usagePoint}|${read.readingType}|${read.meter}|${read.register ?? ''}|${Date.parse(read.timeStamp)}`;
}

function keyArrays(reads: readonly StoredRegisterRead[]): unknown[] {
  return [
    reads.map((read) => read.usagePoint),
    reads.map((read) => read.readingType),
    reads.map((read) => read.meter),
    reads.map((read) => read.register ?? ''),
    reads.map((read) => read.timeStamp),
  ];
}

const KEY_UNNEST = 'unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[]) AS k(k_usage_point, k_reading_type, k_meter, k_register, k_read_at)';
const KEY_MATCH = `r.usage_point_mrid = k.k_usage_point AND r.reading_type = k.k_reading_type AND r.meter_mrid = k.k_meter
  AND r.register_name = k.k_register AND r.read_at = k.k_read_at`;

interface VersionedRead {
  readonly read: StoredRegisterRead;
  readonly version: number;
}

async function insertReads(db: SqlExecutor, reads: readonly VersionedRead[], audit: Audit): Promise<void> {
  if (reads.length === 0) return;
  await db.query(
    `INSERT INTO mdm.register_read (usage_point_mrid, reading_type, meter_mrid, register_name, read_at, version, value, qualities,
            reason, source, is_current, created_by, change_kind, change_reason)
     SELECT k.k_usage_point, k.k_reading_type, k.k_meter, k.k_register, k.k_read_at, k.version, k.value, string_to_array(k.qualities, ','),
            k.reason, k.source, true, $11, $12, $13
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::int[], $7::numeric[], $8::text[], $9::text[], $10::text[])
            AS k(k_usage_point, k_reading_type, k_meter, k_register, k_read_at, version, value, qualities, reason, source)`,
    [
      ...keyArrays(reads.map((entry) => entry.read)),
      reads.map((entry) => entry.version),
      reads.map((entry) => entry.read.value),
      reads.map((entry) => entry.read.qualities.join(',')),
      reads.map((entry) => entry.read.reason ?? null),
      reads.map((entry) => entry.read.source ?? null),
      audit.by,
      audit.kind,
      audit.reason ?? null,
    ],
  );
}

/** A missing value (CIM valueMissing) completed in place: nothing known is replaced. */
async function fillReads(db: SqlExecutor, reads: readonly StoredRegisterRead[]): Promise<void> {
  if (reads.length === 0) return;
  await db.query(
    `UPDATE mdm.register_read r SET value = k.value, qualities = string_to_array(k.qualities, ',')
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::numeric[], $7::text[])
            AS k(k_usage_point, k_reading_type, k_meter, k_register, k_read_at, value, qualities)
      WHERE ${KEY_MATCH} AND r.is_current`,
    [...keyArrays(reads), reads.map((read) => read.value), reads.map((read) => read.qualities.join(','))],
  );
}

async function lockCurrentReads(db: SqlExecutor, reads: readonly StoredRegisterRead[]): Promise<Map<string, RegisterReadVersion>> {
  const stored = await db.query(
    `SELECT ${READ_COLUMNS}
       FROM mdm.register_read r JOIN ${KEY_UNNEST} ON ${KEY_MATCH}
      WHERE r.is_current
      ORDER BY r.usage_point_mrid, r.reading_type, r.meter_mrid, r.register_name, r.read_at
      FOR UPDATE OF r`,
    keyArrays(reads),
  );
  return new Map(stored.rows.map((row) => {
    const version = toVersion(row);
    return [readKey(version), version];
  }));
}

async function retireReads(db: SqlExecutor, reads: readonly StoredRegisterRead[]): Promise<void> {
  if (reads.length === 0) return;
  await db.query(`UPDATE mdm.register_read r SET is_current = false FROM ${KEY_UNNEST} WHERE ${KEY_MATCH} AND r.is_current`, keyArrays(reads));
}

/** Writes register reads inside the caller's transaction; the current versions are locked first. */
export async function writeRegisterReads(db: SqlExecutor, reads: readonly StoredRegisterRead[], audit: Audit): Promise<RegisterWriteSummary> {
  const summary: RegisterWriteSummary = { created: 0, filled: 0, revised: 0, unchanged: 0 };
  // The last read of a key in the batch wins, as a later line of a file would.
  const latest = new Map(reads.map((read) => [readKey(read), read]));
  for (const chunk of chunksOf([...latest.values()])) {
    const current = await lockCurrentReads(db, chunk);
    const created: VersionedRead[] = [];
    const revised: VersionedRead[] = [];
    const filled: StoredRegisterRead[] = [];
    for (const read of chunk) {
      const existing = current.get(readKey(read));
      if (existing === undefined) created.push({ read, version: 1 });
      else if (read.value === null) summary.unchanged++;
      else if (existing.value === null) filled.push(read);
      else if (sameDecimal(existing.value, read.value) && sameQualities(existing.qualities, read.qualities)) summary.unchanged++;
      else revised.push({ read, version: existing.version + 1 });
    }
    await fillReads(db, filled);
    await retireReads(db, revised.map((entry) => entry.read));
    await insertReads(db, [...created, ...revised], audit);
    summary.created += created.length;
    summary.filled += filled.length;
    summary.revised += revised.length;
  }
  await noteRowsAdded(db, 'mdm.register_read', summary.created + summary.revised);
  return summary;
}

export interface RegisterReadQuery {
  readonly usagePoint: string;
  readonly readingType?: string;
  /** Half-open UTC period of read timestamps. */
  readonly start: string;
  readonly end: string;
  readonly versions?: 'current' | 'all';
}

/** Register reads of a usage point in a period, whatever meter took them, by time then meter. */
export async function readRegisterReads(db: SqlExecutor, query: RegisterReadQuery): Promise<RegisterReadVersion[]> {
  const result = await db.query(
    `SELECT ${READ_COLUMNS} FROM mdm.register_read
      WHERE usage_point_mrid = $1 AND ($2::text IS NULL OR reading_type = $2) AND read_at >= $3 AND read_at < $4 AND ($5::boolean OR is_current)
      ORDER BY read_at, reading_type, meter_mrid, register_name, version`,
    [query.usagePoint, query.readingType ?? null, query.start, query.end, query.versions === 'all'],
  );
  return result.rows.map(toVersion);
}

/** A VEE edit or estimate of one register read: a new version, the current one kept. */
export async function reviseRegisterRead(db: SqlExecutor, read: StoredRegisterRead, audit: Audit): Promise<{ version: number; changed: boolean }> {
  const existing = (await lockCurrentReads(db, [read])).get(readKey(read));
  if (existing !== undefined) {
    const sameValue = existing.value === null || read.value === null ? existing.value === read.value : sameDecimal(existing.value, read.value);
    if (sameValue && sameQualities(existing.qualities, read.qualities)) return { version: existing.version, changed: false };
    await retireReads(db, [read]);
  }
  const version = (existing?.version ?? 0) + 1;
  await insertReads(db, [{ read, version }], audit);
  return { version, changed: true };
}
