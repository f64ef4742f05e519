/**
 * Meter installations, removals and exchanges applied to the assignment history
 * (mdm/migrations/0002_master_data.sql, meter_assignment): the history of the meters and the
 * usage point involved is read under their locks, meter-lifecycle-plan.ts decides, and the plan
 * is written. References are already resolved to mRIDs. Run inside the caller's transaction.
 */
import { z } from 'zod';
import { assignMeter } from './master-data.js';
import { type AssignmentRow, type LifecyclePlan, planExchange, planInstallation, planRemoval } from './meter-lifecycle-plan.js';
import type { SqlExecutor } from './sql.js';

const AssignmentRowSchema = z.object({ meter: z.string(), usage_point: z.string(), valid_from: z.date(), valid_to: z.date().nullable() });

/**
 * Serialises changes to the assignments of these meters and this usage point. The meter key is
 * the one master-data.ts assignMeter takes, so direct assignments and events do not interleave;
 * keys are taken in sorted order, so two transactions applying one event each cannot deadlock on
 * them (batches may; PostgreSQL then aborts one, and the hub runs its events alone).
 */
async function lockAssignments(db: SqlExecutor, meters: readonly string[], usagePoint: string): Promise<void> {
  const keys = [...meters.map((meter) => `mdm.meter_assignment:${meter}`), `mdm.meter_assignment.usage_point:${usagePoint}`].sort();
  for (const key of keys) await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}

/** Every assignment of the meters, and every assignment at the usage point, oldest first. */
async function historyOf(db: SqlExecutor, meters: readonly string[], usagePoint: string): Promise<AssignmentRow[]> {
  const result = await db.query(
    `SELECT meter_mrid::text AS meter, usage_point_mrid::text AS usage_point, valid_from, valid_to FROM mdm.meter_assignment
      WHERE meter_mrid = ANY($1::uuid[]) OR usage_point_mrid = $2 ORDER BY valid_from, meter_mrid`,
    [meters, usagePoint],
  );
  return result.rows.map((raw) => {
    const row = AssignmentRowSchema.parse(raw);
    const period = { meter: row.meter, usagePoint: row.usage_point, validFrom: row.valid_from.toISOString() };
    return row.valid_to === null ? period : { ...period, validTo: row.valid_to.toISOString() };
  });
}

/** Writes a plan: closes first, so the opened assignment overlaps nothing. */
async function execute(db: SqlExecutor, plan: LifecyclePlan): Promise<LifecyclePlan> {
  if (plan.kind !== 'change') return plan;
  for (const closing of plan.close) {
    // A meter has at most one open assignment, so meter, usage point and "open" find the row.
    const closed = await db.query(
      `UPDATE mdm.meter_assignment SET valid_to = $3
        WHERE meter_mrid = $1 AND usage_point_mrid = $2 AND valid_to IS NULL AND valid_from < $3::timestamptz`,
      [closing.meter, closing.usagePoint, closing.validTo],
    );
    if (closed.rowCount !== 1) {
      // The plan was made under the locks, so this is a change that bypassed them: fail the
      // transaction (the bus retries the event) rather than write a history nobody planned.
      throw new Error(`closing meter ${closing.meter}'s assignment at usage point ${closing.usagePoint} at ${closing.validTo}: expected 1 open assignment, found ${closed.rowCount}`);
    }
  }
  if (plan.open !== undefined) await assignMeter(db, plan.open);
  return plan;
}

/** The meter serves the usage point from `at` (planInstallation says what that closes). */
export async function installMeter(db: SqlExecutor, step: { meter: string; usagePoint: string; at: string; field: string }): Promise<LifecyclePlan> {
  await lockAssignments(db, [step.meter], step.usagePoint);
  return execute(db, planInstallation(await historyOf(db, [step.meter], step.usagePoint), step));
}

/** The meter leaves the usage point at `at`. */
export async function removeMeter(db: SqlExecutor, step: { meter: string; usagePoint: string; at: string; field: string }): Promise<LifecyclePlan> {
  await lockAssignments(db, [step.meter], step.usagePoint);
  return execute(db, planRemoval(await historyOf(db, [step.meter], step.usagePoint), step));
}

/** The old meter leaves and the new one serves the usage point from `at`. */
export async function exchangeMeters(db: SqlExecutor, step: { usagePoint: string; oldMeter: string; newMeter: string; at: string; field: string }): Promise<LifecyclePlan> {
  const meters = [step.oldMeter, step.newMeter];
  await lockAssignments(db, meters, step.usagePoint);
  return execute(db, planExchange(await historyOf(db, meters, step.usagePoint), step));
}
