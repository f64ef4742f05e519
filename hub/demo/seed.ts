/**
 * Writes the demo master data through the meter data core (usage points, meters with their CMEP
 * names, assignments, one meter exchange), its billing configuration (billing.ts) and its VEE
 * rules with estimation (vee.ts) in one
 * transaction. The first usage point doubles as the marker: its row says this database already
 * holds the demo, so a restart seeds nothing.
 */
import { assignMeter, exchangeMeter, upsertMeter, upsertUsagePoint } from '../../mdm/master-data.js';
import type { Database } from '../db/database.js';
import { seedDemoBilling } from './billing.js';
import { seedDemoVee } from './vee.js';
import { DEMO_FIRST_USAGE_POINT, DEMO_NAME_TYPE, type DemoMeter, type DemoPlan, type DemoUsagePoint } from './plan.js';

/** Long before any demo day, so every reading of the file falls inside an assignment. */
const DEMO_INSTALLED_AT = '2020-01-01T00:00:00Z';

export interface DemoSeedSummary {
  readonly usagePoints: number;
  readonly meters: number;
  readonly exchanges: number;
}

export async function isDemoSeeded(db: Database): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM mdm.usage_point WHERE mrid = $1', [DEMO_FIRST_USAGE_POINT]);
  return result.rows.length > 0;
}

function meterOf(usagePoint: DemoUsagePoint, meter: DemoMeter) {
  return {
    mRID: meter.mRID,
    serialNumber: meter.serialNumber,
    commodity: usagePoint.commodity,
    amrSystem: 'demo',
    multipliers: [],
    registers: [],
    names: [{ name: meter.serialNumber, nameType: DEMO_NAME_TYPE }],
  };
}

export async function seedDemo(db: Database, plan: DemoPlan): Promise<DemoSeedSummary> {
  let meters = 0;
  let exchanges = 0;
  await db.transaction(async (tx) => {
    for (const usagePoint of plan.usagePoints) {
      const { mRID, name, commodity, rateClass, timeZone } = usagePoint;
      await upsertUsagePoint(tx, { mRID, name, commodity, rateClass, timeZone, connectionState: 'connected', readCycle: 'DEMO' });
      await upsertMeter(tx, meterOf(usagePoint, usagePoint.meter));
      await assignMeter(tx, { meter: usagePoint.meter.mRID, usagePoint: mRID, validFrom: DEMO_INSTALLED_AT });
      meters++;
      if (usagePoint.exchange !== undefined) {
        await upsertMeter(tx, meterOf(usagePoint, usagePoint.exchange.meter));
        await exchangeMeter(tx, { usagePoint: mRID, removedMeter: usagePoint.meter.mRID, installedMeter: usagePoint.exchange.meter.mRID, at: usagePoint.exchange.at });
        meters++;
        exchanges++;
      }
    }
    // TOU calendar and billing profiles of the electric rate classes (billing.ts).
    await seedDemoBilling(tx);
    // VEE rules with estimation an hour after an interval ends (vee.ts).
    await seedDemoVee(tx);
  });
  return { usagePoints: plan.usagePoints.length, meters, exchanges };
}
