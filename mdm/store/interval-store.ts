/**
 * The interval store: day vectors per usage point × reading type × local day × version
 * (mdm/migrations/0003_reading_store.sql). Writes are lock-read-merge-write inside the caller's
 * transaction, a thousand days per statement: the current versions are read FOR UPDATE, merged
 * in memory (day-vector.ts), then new days are inserted, filled days updated in place and revised
 * days get a new version while the old one stays as the audit trail. Readings are keyed on the
 * usage point, never the meter (cim.md §10).
 */
import { noteRowsAdded } from './statistics.js';
import { z } from 'zod';
import { InputError } from '../../canonical/errors.js';
import { intervalsInLocalDay, localDayStart } from '../../canonical/time.js';
import { type Audit, chunksOf, type SqlExecutor } from '../sql.js';
import { type DayVector, type StoredSlice, mergeDaySlices, sameDecimal, sameQualities } from './day-vector.js';
import { decodeQualities, encodeQualities, numericArrayLiteral, textArrayLiteral } from './pg-array.js';

export interface IntervalWriteSummary {
  created: number;
  filled: number;
  revised: number;
  unchanged: number;
}

/** A day a write created, completed in place or revised: what VEE must (re)validate. */
export interface TouchedDay {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly change: 'created' | 'filled' | 'revised';
  /** The current version as this write left it, so VEE need not read it back. */
  readonly written?: DayVersion;
}

/** What VEE and estimation need of a stored version: the day, its vectors and its version number. */
export type DayVersion = Pick<IntervalDay, 'usagePoint' | 'readingType' | 'localDate' | 'version' | 'dayStart'> & DayVector;

/** One stored version of one local day. */
export interface IntervalDay {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly version: number;
  readonly isCurrent: boolean;
  readonly dayStart: string;
  readonly intervalSeconds: number;
  readonly values: (string | null)[];
  readonly qualities: string[][];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly createdBy: string;
  readonly changeKind: Audit['kind'];
  readonly changeReason: string | null;
}

const DayRowSchema = z.object({
  usage_point: z.string(),
  reading_type: z.string(),
  local_date: z.string(),
  version: z.number().int(),
  is_current: z.boolean(),
  day_start: z.date(),
  interval_seconds: z.number().int(),
  interval_values: z.array(z.string().nullable()),
  qualities: z.array(z.string().nullable()),
  created_at: z.date(),
  updated_at: z.date(),
  created_by: z.string(),
  change_kind: z.enum(['import', 'edit', 'estimate']),
  change_reason: z.string().nullable(),
});

export const DAY_COLUMNS = `usage_point_mrid::text AS usage_point, reading_type, local_date::text AS local_date, version, is_current,
  day_start, interval_seconds, interval_values, qualities, created_at, updated_at, created_by, change_kind, change_reason`;

export function toIntervalDay(row: unknown): IntervalDay {
  const parsed = DayRowSchema.parse(row);
  return {
    usagePoint: parsed.usage_point,
    readingType: parsed.reading_type,
    localDate: parsed.local_date,
    version: parsed.version,
    isCurrent: parsed.is_current,
    dayStart: parsed.day_start.toISOString(),
    intervalSeconds: parsed.interval_seconds,
    values: parsed.interval_values,
    qualities: decodeQualities(parsed.qualities),
    createdAt: parsed.created_at,
    updatedAt: parsed.updated_at,
    createdBy: parsed.created_by,
    changeKind: parsed.change_kind,
    changeReason: parsed.change_reason,
  };
}

function dayKey(usagePoint: string, readingType: string, localDate: string): string {
  return `${usagePoint}|${readingType}|${localDate}`;
}

interface PendingDay {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly dayStart: string;
  readonly intervalCount: number;
  readonly slices: StoredSlice[];
}

/** Current versions of the given days, locked in key order (one order for every writer: no deadlock). */
async function lockCurrentDays(db: SqlExecutor, days: readonly PendingDay[]): Promise<Map<string, IntervalDay>> {
  const result = await db.query(
    `SELECT ${DAY_COLUMNS}
       FROM mdm.interval_day d
       JOIN unnest($1::uuid[], $2::text[], $3::date[]) AS k(k_usage_point, k_reading_type, k_local_date)
         ON d.usage_point_mrid = k.k_usage_point AND d.reading_type = k.k_reading_type AND d.local_date = k.k_local_date
      WHERE d.is_current
      ORDER BY d.usage_point_mrid, d.reading_type, d.local_date
      FOR UPDATE OF d`,
    [days.map((day) => day.usagePoint), days.map((day) => day.readingType), days.map((day) => day.localDate)],
  );
  const current = new Map<string, IntervalDay>();
  for (const row of result.rows) {
    const day = toIntervalDay(row);
    current.set(dayKey(day.usagePoint, day.readingType, day.localDate), day);
  }
  return current;
}

interface DayWrite {
  readonly day: PendingDay;
  readonly version: number;
  readonly vector: DayVector;
}

/**
 * Who wrote a version: one Audit for the whole write, or one per day (a batch of events, each
 * day under the events that contributed to it), so no row has to be rewritten to label it.
 */
export type DayAudit = Audit | ((day: { readonly usagePoint: string; readonly readingType: string; readonly localDate: string }) => Audit);

/** Inserts new versions; returns the keys a concurrent writer inserted first (ON CONFLICT). */
async function insertVersions(db: SqlExecutor, writes: readonly DayWrite[], audit: DayAudit): Promise<Set<string>> {
  if (writes.length === 0) return new Set();
  const audits = writes.map((write) => (typeof audit === 'function' ? audit(write.day) : audit));
  const result = await db.query<{ key: string }>(
    `INSERT INTO mdm.interval_day (usage_point_mrid, reading_type, local_date, version, day_start, interval_seconds,
            interval_count, interval_values, qualities, is_current, created_by, change_kind, change_reason)
     SELECT r.usage_point, r.reading_type, r.local_date, r.version, r.day_start, r.interval_seconds,
            r.interval_count, r.interval_values::numeric[], r.qualities::text[], true, r.created_by, r.change_kind, r.change_reason
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[], $5::timestamptz[], $6::int[], $7::int[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::text[])
            AS r(usage_point, reading_type, local_date, version, day_start, interval_seconds, interval_count, interval_values, qualities,
                 created_by, change_kind, change_reason)
     ON CONFLICT DO NOTHING
     RETURNING usage_point_mrid::text || '|' || reading_type || '|' || local_date::text AS key`,
    [
      writes.map((write) => write.day.usagePoint),
      writes.map((write) => write.day.readingType),
      writes.map((write) => write.day.localDate),
      writes.map((write) => write.version),
      writes.map((write) => write.day.dayStart),
      writes.map((write) => write.vector.intervalSeconds),
      writes.map((write) => write.vector.values.length),
      writes.map((write) => numericArrayLiteral(write.vector.values)),
      writes.map((write) => textArrayLiteral(encodeQualities(write.vector.qualities))),
      audits.map((entry) => entry.by),
      audits.map((entry) => entry.kind),
      audits.map((entry) => entry.reason ?? null),
    ],
  );
  const inserted = new Set(result.rows.map((row) => row.key));
  const lost = new Set<string>();
  for (const write of writes) {
    const key = dayKey(write.day.usagePoint, write.day.readingType, write.day.localDate);
    if (!inserted.has(key)) lost.add(key);
  }
  return lost;
}

/** Completes days in place: only empty slots change, so the version and its audit stay. */
async function fillInPlace(db: SqlExecutor, writes: readonly DayWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await db.query(
    `UPDATE mdm.interval_day d
        SET interval_values = r.interval_values::numeric[], qualities = r.qualities::text[], updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[], $5::text[], $6::text[])
            AS r(usage_point, reading_type, local_date, version, interval_values, qualities)
      WHERE d.usage_point_mrid = r.usage_point AND d.reading_type = r.reading_type
        AND d.local_date = r.local_date AND d.version = r.version`,
    [
      writes.map((write) => write.day.usagePoint),
      writes.map((write) => write.day.readingType),
      writes.map((write) => write.day.localDate),
      writes.map((write) => write.version),
      writes.map((write) => numericArrayLiteral(write.vector.values)),
      writes.map((write) => textArrayLiteral(encodeQualities(write.vector.qualities))),
    ],
  );
}

/** The superseded versions stop being current before their successors are inserted (unique index). */
async function retireVersions(db: SqlExecutor, writes: readonly DayWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await db.query(
    `UPDATE mdm.interval_day d SET is_current = false
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[]) AS r(usage_point, reading_type, local_date, version)
      WHERE d.usage_point_mrid = r.usage_point AND d.reading_type = r.reading_type
        AND d.local_date = r.local_date AND d.version = r.version`,
    [
      writes.map((write) => write.day.usagePoint),
      writes.map((write) => write.day.readingType),
      writes.map((write) => write.day.localDate),
      writes.map((write) => write.version - 1),
    ],
  );
}

function groupByDay(slices: readonly StoredSlice[]): PendingDay[] {
  const days = new Map<string, PendingDay>();
  for (const slice of slices) {
    const key = dayKey(slice.usagePoint, slice.readingType, slice.localDate);
    const day = days.get(key);
    if (day === undefined) {
      days.set(key, { ...slice, slices: [slice] });
    } else {
      day.slices.push(slice);
    }
  }
  return [...days.values()];
}

async function writeChunk(db: SqlExecutor, days: readonly PendingDay[], audit: DayAudit, summary: IntervalWriteSummary, touched: TouchedDay[]): Promise<PendingDay[]> {
  const current = await lockCurrentDays(db, days);
  const created: DayWrite[] = [];
  const filled: DayWrite[] = [];
  const revised: DayWrite[] = [];
  for (const day of days) {
    const stored = current.get(dayKey(day.usagePoint, day.readingType, day.localDate));
    const merge = mergeDaySlices(stored, day.slices);
    switch (merge.kind) {
      case 'created':
        created.push({ day, version: 1, vector: merge.vector });
        break;
      case 'filled':
        filled.push({ day, version: stored?.version ?? 1, vector: merge.vector });
        break;
      case 'revised':
        revised.push({ day, version: (stored?.version ?? 0) + 1, vector: merge.vector });
        break;
      case 'unchanged':
        summary.unchanged++;
        break;
    }
  }
  await fillInPlace(db, filled);
  await retireVersions(db, revised);
  const lostRevisions = await insertVersions(db, revised, audit);
  if (lostRevisions.size > 0) throw new Error(`interval store: ${lostRevisions.size} locked day(s) changed under the lock (${[...lostRevisions][0]})`);
  const lost = await insertVersions(db, created, audit);
  summary.filled += filled.length;
  summary.revised += revised.length;
  summary.created += created.length - lost.size;
  const touch = (writes: readonly DayWrite[], change: TouchedDay['change']) => {
    for (const { day, version, vector } of writes) {
      if (change === 'created' && lost.has(dayKey(day.usagePoint, day.readingType, day.localDate))) continue;
      const { usagePoint, readingType, localDate } = day;
      const written: DayVersion = {
        usagePoint,
        readingType,
        localDate,
        version,
        dayStart: day.dayStart,
        intervalSeconds: vector.intervalSeconds,
        values: vector.values,
        qualities: vector.qualities,
      };
      touched.push({ usagePoint, readingType, localDate, change, written });
    }
  };
  touch(filled, 'filled');
  touch(revised, 'revised');
  touch(created, 'created');
  // A concurrent transaction created these days first; merge into its rows on the next pass.
  return days.filter((day) => lost.has(dayKey(day.usagePoint, day.readingType, day.localDate)));
}

/**
 * Writes day slices (from any number of blocks) inside the caller's transaction. Re-writing the
 * same slices changes nothing; slices of one day are merged in the order given.
 */
export async function writeIntervalSlices(db: SqlExecutor, slices: readonly StoredSlice[], audit: DayAudit): Promise<IntervalWriteSummary> {
  return (await writeIntervalDays(db, slices, audit)).summary;
}

/** writeIntervalSlices, also naming the days that changed (unchanged ones are not listed). */
export async function writeIntervalDays(db: SqlExecutor, slices: readonly StoredSlice[], audit: DayAudit): Promise<{ summary: IntervalWriteSummary; touched: TouchedDay[] }> {
  const summary: IntervalWriteSummary = { created: 0, filled: 0, revised: 0, unchanged: 0 };
  const touched: TouchedDay[] = [];
  for (const chunk of chunksOf(groupByDay(slices))) {
    let pending = chunk;
    // ON CONFLICT waited for the other writer to commit, so the second pass sees and locks its rows.
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 3) throw new Error(`interval store: ${pending.length} day(s) kept being created concurrently`);
      pending = await writeChunk(db, pending, audit, summary, touched);
    }
  }
  await noteRowsAdded(db, 'mdm.interval_day', summary.created + summary.revised);
  return { summary, touched };
}

export interface IntervalQuery {
  readonly usagePoint: string;
  readonly readingType: string;
  /** Half-open UTC period; every day overlapping it is returned whole. */
  readonly start: string;
  readonly end: string;
  /** `current` (default): the version readers use; `all`: every version, the audit trail. */
  readonly versions?: 'current' | 'all';
}

/** Day vectors of a usage point overlapping a period, by local date then version. */
export async function readIntervalDays(db: SqlExecutor, query: IntervalQuery): Promise<IntervalDay[]> {
  // Local dates lie within a day of the UTC date (offsets are within ±14 h): the key range uses
  // the primary key, the day_start test then keeps the days that really overlap.
  const result = await db.query(
    `SELECT ${DAY_COLUMNS}
       FROM mdm.interval_day
      WHERE usage_point_mrid = $1 AND reading_type = $2
        AND local_date BETWEEN ($3::timestamptz AT TIME ZONE 'UTC')::date - 1 AND ($4::timestamptz AT TIME ZONE 'UTC')::date + 1
        AND day_start < $4::timestamptz
        AND day_start + make_interval(secs => interval_seconds::double precision * interval_count) > $3::timestamptz
        AND ($5::boolean OR is_current)
      ORDER BY local_date, version`,
    [query.usagePoint, query.readingType, query.start, query.end, query.versions === 'all'],
  );
  return result.rows.map(toIntervalDay);
}

function sameDay(a: DayVector, b: DayVector): boolean {
  return a.values.every((value, index) => {
    const other = b.values[index] ?? null;
    const sameValue = value === null || other === null ? value === other : sameDecimal(value, other);
    return sameValue && sameQualities(a.qualities[index] ?? [], b.qualities[index] ?? []);
  });
}

/** One interval's new value and qualities, by its position in the local day. */
export interface IntervalChange {
  readonly index: number;
  readonly value: string | null;
  readonly qualities: readonly string[];
}

export interface DayRevision {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  /** The usage point's zone and the interval length: needed when the day has no data yet. */
  readonly timeZone: string;
  readonly intervalSeconds: number;
  readonly changes: readonly IntervalChange[];
}

/**
 * A VEE edit or an estimate: a new version of the day with the changes applied over the current
 * one, which is kept with its audit fields. Unlike an import, a null here does replace a value
 * (an edit may remove a reading found invalid). Returns the version now current.
 */
export async function reviseIntervalDay(db: SqlExecutor, revision: DayRevision, audit: Audit): Promise<{ version: number; changed: boolean }> {
  const dayStart = localDayStart(revision.localDate, revision.timeZone);
  const intervalCount = intervalsInLocalDay(revision.localDate, revision.timeZone, revision.intervalSeconds);
  const day: PendingDay = { ...revision, dayStart, intervalCount, slices: [] };
  const stored = (await lockCurrentDays(db, [day])).get(dayKey(revision.usagePoint, revision.readingType, revision.localDate));
  if (stored !== undefined && stored.intervalSeconds !== revision.intervalSeconds) {
    throw new InputError(`local day ${revision.localDate} is stored with ${stored.intervalSeconds} s intervals, not ${revision.intervalSeconds} s`);
  }
  const values = stored === undefined ? new Array<string | null>(intervalCount).fill(null) : [...stored.values];
  const qualities = stored === undefined ? Array.from({ length: intervalCount }, (): string[] => []) : [...stored.qualities];
  for (const change of revision.changes) {
    if (!Number.isInteger(change.index) || change.index < 0 || change.index >= intervalCount) {
      throw new InputError(`interval ${change.index} is outside local day ${revision.localDate} (${intervalCount} intervals)`, { field: 'index' });
    }
    values[change.index] = change.value;
    qualities[change.index] = [...change.qualities];
  }
  const vector: DayVector = { intervalSeconds: revision.intervalSeconds, values, qualities };
  if (stored !== undefined && sameDay(stored, vector)) return { version: stored.version, changed: false };
  const write: DayWrite = { day, version: (stored?.version ?? 0) + 1, vector };
  if (stored !== undefined) await retireVersions(db, [write]);
  const lost = await insertVersions(db, [write], audit);
  if (lost.size > 0) throw new Error(`interval store: local day ${revision.localDate} was created concurrently; retry the revision`);
  return { version: write.version, changed: true };
}

/** A new version computed from the current one, which the caller read in this transaction. */
export interface DayVersionWrite {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly dayStart: string;
  /** The version the change was computed from; 0 when the day was not stored yet. */
  readonly baseVersion: number;
  readonly vector: DayVector;
}

/**
 * Writes computed versions (estimates) in a fixed number of statements however many days: the
 * base versions stop being current and the new ones are inserted with their audit. A base that is
 * no longer current means another writer changed the day since it was read: the transaction fails
 * rather than overwrite that change.
 */
export async function writeDayVersions(db: SqlExecutor, writes: readonly DayVersionWrite[], audit: DayAudit): Promise<void> {
  for (const chunk of chunksOf(writes)) {
    const dayWrites: DayWrite[] = chunk.map((write) => ({
      day: { ...write, intervalCount: write.vector.values.length, slices: [] },
      version: write.baseVersion + 1,
      vector: write.vector,
    }));
    await retireVersions(db, dayWrites.filter((write) => write.version > 1));
    const lost = await insertVersions(db, dayWrites, audit);
    if (lost.size > 0) throw new Error(`interval store: ${lost.size} day(s) changed while they were estimated (${[...lost][0]})`);
  }
  await noteRowsAdded(db, 'mdm.interval_day', writes.length);
}
