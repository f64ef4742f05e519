/**
 * The imperative shell around runVee: validates the days an ingest batch created, completed or
 * revised, inside the ingest's transaction, in a fixed number of statements per batch whatever
 * its size (the config, the usage points, every day the rules look at, the channels' newest data,
 * the quality write, the queue's close and upsert).
 *
 * The codes are written onto the current version in place. That version is the one this same
 * transaction just imported (created, filled or revised), so VEE's first verdict completes the
 * import rather than editing it: a version per validation would double the store and make every
 * imported day look edited in the audit trail. A change of values by VEE (an edit, an estimate)
 * is a different act and goes through reviseIntervalDay with its own audit.
 *
 * Then the intervals VEE left for estimation are estimated (mdm/estimation/run.ts) as the policy
 * in force for each point says, in the same transaction: an estimate is a new version of the day.
 *
 * Not loaded here yet: register reads for the sum-check rule (it reports "skipped: no register
 * reads"), meter exchanges and duplicate receipts.
 */
import { type CloudEvent, causedBy } from '../../canonical/envelope.js';
import { EventType } from '../../canonical/events/names.js';
import { newEvent } from '../../canonical/events/validate.js';
import { z } from 'zod';
import type { SqlExecutor } from '../sql.js';
import { type DayKey, type DayQualities, dayKeyText, lastValueAt, readCurrentDays, writeDayQualities } from '../store/interval-day-batch.js';
import type { DayVersion, TouchedDay } from '../store/interval-store.js';
import { sameQualities } from '../store/day-vector.js';
import { type DayToEstimate, type EstimatedDay, estimateDays, estimationDetails } from '../estimation/run.js';
import { estimationTargets, selectEstimationPolicy } from '../estimation/select.js';
import type { VeeConfig, VeeRule } from './config.js';
import { loadVeeConfig } from './config-store.js';
import { LIKE_DAY_WEEKS } from './default-config.js';
import { closeClearedExceptions, type ExceptionFinding, recordExceptions, type RuleRun } from './exception-store.js';
import { exceptionFindings, raisedPayload } from './exception-findings.js';
import { selectRules, type VeeUsagePoint } from './rules.js';
import { runVee, type VeeResult } from './validate.js';

/** The source of `vee_exception.raised` events. */
export const VEE_EVENT_SOURCE = '/mdm/vee';

/** A day to validate and the event whose readings changed it (the cause of any event raised). */
export interface DayToValidate extends TouchedDay {
  readonly cause: CloudEvent;
}

export interface VeeRunOptions {
  /** The validation clock (stale meter), ISO-8601 UTC. */
  readonly now: string;
  /** Tests and tools pass a configuration; otherwise the stored one (or the default). */
  readonly config?: VeeConfig;
}

export interface VeeRunOutcome {
  readonly results: VeeResult[];
  /** Queue items this run opened (refreshed open items are not repeated). */
  readonly opened: ExceptionFinding[];
  readonly events: CloudEvent[];
  /** The days estimation looked at, with what it filled and the version it wrote. */
  readonly estimated: EstimatedDay[];
}

export interface PointRow extends VeeUsagePoint {
  readonly timeZone: string;
}

const PointRowSchema = z.object({ mrid: z.string(), rate_class: z.string().nullable(), time_zone: z.string() });

/** The usage points' rate class and zone, from master data. */
export async function loadUsagePoints(db: SqlExecutor, mRIDs: readonly string[]): Promise<Map<string, PointRow>> {
  const result = await db.query('SELECT mrid::text AS mrid, rate_class, time_zone FROM mdm.usage_point WHERE mrid = ANY($1::uuid[])', [mRIDs]);
  const points = new Map<string, PointRow>();
  for (const row of result.rows) {
    const parsed = PointRowSchema.parse(row);
    // Master data has no net-metering flag yet: every point is treated as import-only, so
    // reverse flow is checked everywhere; a rate class or usage point set can switch it off.
    points.set(parsed.mrid, { mRID: parsed.mrid, rateClass: parsed.rate_class ?? undefined, netMetered: false, timeZone: parsed.time_zone });
  }
  return points;
}

const DAY_MILLIS = 86_400_000;

function shiftLocalDate(localDate: string, days: number): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + days * DAY_MILLIS).toISOString().slice(0, 10);
}

/** The earlier dates the day's rules look at: like days (spike) and the run before it (zero, prolonged). */
function historyDates(localDate: string, rules: readonly VeeRule[]): { likeDays: string[]; previousDays: string[] } {
  const likeDays = rules.some((rule) => rule.rule === 'spike') ? Array.from({ length: LIKE_DAY_WEEKS }, (_, week) => shiftLocalDate(localDate, -7 * (week + 1))) : [];
  const run = Math.max(0, ...rules.map((rule) => (rule.rule === 'zero-consumption' || rule.rule === 'prolonged-estimation' ? rule.days : 0)));
  const previousDays = Array.from({ length: run }, (_, back) => shiftLocalDate(localDate, -(back + 1)));
  return { likeDays, previousDays };
}

interface Plan {
  readonly day: DayToValidate;
  readonly point: PointRow;
  readonly rules: VeeRule[];
  readonly likeDays: string[];
  readonly previousDays: string[];
}

function unique<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}

export async function validateDays(db: SqlExecutor, days: readonly DayToValidate[], options: VeeRunOptions): Promise<VeeRunOutcome> {
  const touched = unique(days, dayKeyText);
  if (touched.length === 0) return { results: [], opened: [], events: [], estimated: [] };
  const config = options.config ?? (await loadVeeConfig(db));
  const points = await loadUsagePoints(db, [...new Set(touched.map((day) => day.usagePoint))]);

  const plans: Plan[] = touched.map((day) => {
    const point = points.get(day.usagePoint);
    if (point === undefined) throw new Error(`VEE: usage point ${day.usagePoint} of local day ${day.localDate} is not in master data`);
    const rules = selectRules(config, point, day.localDate);
    return { day, point, rules, ...historyDates(day.localDate, rules) };
  });
  const keyOn = (day: DayToValidate, localDate: string): DayKey => ({ usagePoint: day.usagePoint, readingType: day.readingType, localDate });
  const wanted = unique(plans.flatMap((plan) => [plan.day, ...[...plan.likeDays, ...plan.previousDays].map((date) => keyOn(plan.day, date))]), dayKeyText);
  // The days this transaction just wrote come with their vectors; only their history is read.
  const written = new Map(touched.flatMap((day) => (day.written === undefined ? [] : [[dayKeyText(day), day.written] as const])));
  const stored: Map<string, DayVersion> = new Map([...(await readCurrentDays(db, wanted.filter((key) => !written.has(dayKeyText(key))))), ...written]);
  const staleChannels = unique(plans.filter((plan) => plan.rules.some((rule) => rule.rule === 'stale-meter')).map((plan) => plan.day), (day) => `${day.usagePoint}|${day.readingType}`);
  const newest = await lastValueAt(db, staleChannels);

  const results: VeeResult[] = [];
  const qualityWrites: DayQualities[] = [];
  const findings: { finding: ExceptionFinding; cause: CloudEvent }[] = [];
  const cleared: RuleRun[] = [];
  const toEstimate: DayToEstimate[] = [];
  const nowMillis = Date.parse(options.now);
  for (const plan of plans) {
    const day = stored.get(dayKeyText(plan.day));
    // The write just stored it in this transaction; absent means a bug, not bad input.
    if (day === undefined) throw new Error(`VEE: local day ${dayKeyText(plan.day)} was written but cannot be read back`);
    const present = (dates: readonly string[]): DayVersion[] =>
      dates.flatMap((date) => stored.get(dayKeyText(keyOn(plan.day, date))) ?? []);
    const result = runVee(
      {
        usagePoint: plan.point,
        readingType: plan.day.readingType,
        timeZone: plan.point.timeZone,
        day,
        likeDays: present(plan.likeDays),
        previousDays: present(plan.previousDays),
        lastReadingAt: newest.get(`${plan.day.usagePoint}|${plan.day.readingType}`) ?? null,
      },
      plan.rules,
      options.now,
    );
    results.push(result);
    if (result.qualities.some((codes, index) => !sameQualities(codes, day.qualities[index] ?? []))) {
      qualityWrites.push({ ...keyOn(plan.day, day.localDate), version: day.version, qualities: result.qualities });
    }
    const found = exceptionFindings(result);
    for (const finding of found.findings) findings.push({ finding, cause: plan.day.cause });
    cleared.push(...found.cleared);
    const policy = result.needsEstimation.length === 0 ? undefined : selectEstimationPolicy(config, plan.point, day.localDate);
    if (policy !== undefined) {
      const validated = { ...day, qualities: result.qualities };
      const { due, pending } = estimationTargets(validated, result.needsEstimation, policy, nowMillis);
      toEstimate.push({ day: validated, usagePoint: plan.point, targets: due, policy, pending });
    }
  }

  await writeDayQualities(db, qualityWrites);
  const estimated = await estimateDays(db, toEstimate, config);
  // The day's queue items say what estimation did, so the sweep (estimateDue) skips settled days.
  const estimation = new Map(estimated.map((entry) => [dayKeyText(entry), estimationDetails(entry)]));
  await closeClearedExceptions(db, cleared);
  const opened = await recordExceptions(
    db,
    findings.map(({ finding }) => {
      const details = estimation.get(dayKeyText(finding));
      return details === undefined ? finding : { ...finding, details: { ...finding.details, estimation: details } };
    }),
  );
  const openedKeys = new Set(opened.map((finding) => `${dayKeyText(finding)}|${finding.rule}`));
  const events = findings
    .filter((entry) => openedKeys.has(`${dayKeyText(entry.finding)}|${entry.finding.rule}`))
    .map((entry) => newEvent(EventType.VeeExceptionRaised, raisedPayload(entry.finding), { source: VEE_EVENT_SOURCE, subject: entry.finding.usagePoint, ...causedBy(entry.cause) }));
  return { results, opened, events, estimated };
}
