/**
 * The VEE exception queue (mdm.vee_exception, migrations/0004_vee.sql): the work items behind
 * `vee_exception.raised`. One open item per usage point, reading type, local day and rule: a
 * re-validation that finds the same problem updates the open item (no second event), one that no
 * longer finds it closes the item as resolved by VEE, and a person resolves or ignores the rest.
 */
import { z } from 'zod';
import type { SqlExecutor } from '../sql.js';
import type { Severity } from './finding.js';

export type ExceptionStatus = 'open' | 'resolved' | 'ignored';

/** What a validation found for one day and rule (several exceptions of a rule merged: one item). */
export interface ExceptionFinding {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

export interface StoredException extends Omit<ExceptionFinding, 'details'> {
  readonly id: string;
  readonly details: unknown;
  readonly status: ExceptionStatus;
  readonly raisedAt: string;
  readonly lastSeenAt: string;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolutionNote: string | null;
}

const ExceptionRowSchema = z.object({
  id: z.string(),
  usage_point: z.string(),
  reading_type: z.string(),
  local_date: z.string(),
  rule: z.string(),
  severity: z.enum(['info', 'warning', 'error']),
  period_start: z.date(),
  period_end: z.date(),
  message: z.string(),
  details: z.unknown(),
  status: z.enum(['open', 'resolved', 'ignored']),
  raised_at: z.date(),
  last_seen_at: z.date(),
  resolved_at: z.date().nullable(),
  resolved_by: z.string().nullable(),
  resolution_note: z.string().nullable(),
});

const COLUMNS = `id::text AS id, usage_point_mrid::text AS usage_point, reading_type, local_date::text AS local_date, rule, severity,
  period_start, period_end, message, details, status, raised_at, last_seen_at, resolved_at, resolved_by, resolution_note`;

function toStoredException(row: unknown): StoredException {
  const parsed = ExceptionRowSchema.parse(row);
  return {
    id: parsed.id,
    usagePoint: parsed.usage_point,
    readingType: parsed.reading_type,
    localDate: parsed.local_date,
    rule: parsed.rule,
    severity: parsed.severity,
    periodStart: parsed.period_start.toISOString(),
    periodEnd: parsed.period_end.toISOString(),
    message: parsed.message,
    details: parsed.details,
    status: parsed.status,
    raisedAt: parsed.raised_at.toISOString(),
    lastSeenAt: parsed.last_seen_at.toISOString(),
    resolvedAt: parsed.resolved_at?.toISOString() ?? null,
    resolvedBy: parsed.resolved_by,
    resolutionNote: parsed.resolution_note,
  };
}

/** A rule that ran on a day: its open item closes when the rule no longer finds anything there. */
export interface RuleRun {
  readonly usagePoint: string;
  readonly readingType: string;
  readonly localDate: string;
  readonly rule: string;
}

/** Who closes items a re-validation no longer finds. */
export const VEE_RESOLVER = 'mdm.vee';

/** Closes the open items of rule runs that found nothing (a gap filled by a later delivery). */
export async function closeClearedExceptions(db: SqlExecutor, cleared: readonly RuleRun[]): Promise<void> {
  if (cleared.length === 0) return;
  await db.query(
    `UPDATE mdm.vee_exception e
        SET status = 'resolved', resolved_at = now(), resolved_by = $5, resolution_note = 'no longer found when the day was validated again'
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[]) AS r(usage_point, reading_type, local_date, rule)
      WHERE e.status = 'open' AND e.usage_point_mrid = r.usage_point AND e.reading_type = r.reading_type
        AND e.local_date = r.local_date AND e.rule = r.rule`,
    [cleared.map((run) => run.usagePoint), cleared.map((run) => run.readingType), cleared.map((run) => run.localDate), cleared.map((run) => run.rule), VEE_RESOLVER],
  );
}

/**
 * Opens an item per finding, or refreshes the open one for the same day and rule. Returns the
 * findings that opened a new item, in the order given: only those raise an event.
 */
export async function recordExceptions(db: SqlExecutor, findings: readonly ExceptionFinding[]): Promise<ExceptionFinding[]> {
  if (findings.length === 0) return [];
  const result = await db.query<{ position: number; inserted: boolean }>(
    `INSERT INTO mdm.vee_exception AS e (usage_point_mrid, reading_type, local_date, rule, severity, period_start, period_end, message, details)
     SELECT usage_point, reading_type, local_date, rule, severity, period_start, period_end, message, details::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[])
            WITH ORDINALITY AS f(usage_point, reading_type, local_date, rule, severity, period_start, period_end, message, details, position)
      ORDER BY position
     ON CONFLICT (usage_point_mrid, reading_type, local_date, rule) WHERE status = 'open'
     DO UPDATE SET severity = EXCLUDED.severity, period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
                   message = EXCLUDED.message, details = EXCLUDED.details, last_seen_at = now()
     RETURNING (xmax = 0) AS inserted, e.usage_point_mrid::text || '|' || e.reading_type || '|' || e.local_date::text || '|' || e.rule AS position`,
    [
      findings.map((finding) => finding.usagePoint),
      findings.map((finding) => finding.readingType),
      findings.map((finding) => finding.localDate),
      findings.map((finding) => finding.rule),
      findings.map((finding) => finding.severity),
      findings.map((finding) => finding.periodStart),
      findings.map((finding) => finding.periodEnd),
      findings.map((finding) => finding.message),
      findings.map((finding) => JSON.stringify(finding.details)),
    ],
  );
  // xmax = 0 only on a row this statement inserted; an updated row carries our transaction id.
  const opened = new Set(result.rows.filter((row) => row.inserted).map((row) => String(row.position)));
  return findings.filter((finding) => opened.has(`${finding.usagePoint}|${finding.readingType}|${finding.localDate}|${finding.rule}`));
}

export interface ExceptionFilter {
  readonly status?: ExceptionStatus;
  readonly usagePoint?: string;
  /** Newest first; default 100, at most 1000. */
  readonly limit?: number;
}

export async function listExceptions(db: SqlExecutor, filter: ExceptionFilter = {}): Promise<StoredException[]> {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
  const result = await db.query(
    `SELECT ${COLUMNS} FROM mdm.vee_exception
      WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR usage_point_mrid = $2)
      ORDER BY raised_at DESC, id DESC
      LIMIT $3`,
    [filter.status ?? null, filter.usagePoint ?? null, limit],
  );
  return result.rows.map(toStoredException);
}

/** A bigserial id: 1 to 2^63 - 1 (a larger number would make the cast fail instead of finding nothing). */
function isExceptionId(id: string): boolean {
  return /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n;
}

export async function getException(db: SqlExecutor, id: string): Promise<StoredException | undefined> {
  if (!isExceptionId(id)) return undefined;
  const result = await db.query(`SELECT ${COLUMNS} FROM mdm.vee_exception WHERE id = $1::bigint`, [id]);
  const [row] = result.rows;
  return row === undefined ? undefined : toStoredException(row);
}

export interface Resolution {
  readonly by: string;
  readonly status: 'resolved' | 'ignored';
  readonly note?: string;
}

export type ResolveOutcome =
  | { readonly kind: 'resolved'; readonly exception: StoredException }
  | { readonly kind: 'not-found' }
  /** Someone closed it first; the stored item says who and how. */
  | { readonly kind: 'not-open'; readonly exception: StoredException };

/** Closes an open item; a closed one stays as it was (the first decision is the record). */
export async function resolveException(db: SqlExecutor, id: string, resolution: Resolution): Promise<ResolveOutcome> {
  if (!isExceptionId(id)) return { kind: 'not-found' };
  const result = await db.query(
    `UPDATE mdm.vee_exception SET status = $2, resolved_at = now(), resolved_by = $3, resolution_note = $4
      WHERE id = $1::bigint AND status = 'open'
      RETURNING ${COLUMNS}`,
    [id, resolution.status, resolution.by, resolution.note ?? null],
  );
  const [row] = result.rows;
  if (row !== undefined) return { kind: 'resolved', exception: toStoredException(row) };
  const existing = await getException(db, id);
  return existing === undefined ? { kind: 'not-found' } : { kind: 'not-open', exception: existing };
}
