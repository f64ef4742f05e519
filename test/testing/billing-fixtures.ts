/**
 * Database fixtures for the billing determinants tests: the crafted June of
 * mdm/billing/__fixtures__/june-2024.ts written through the interval store, at an E-LGS usage
 * point billed on its TOU calendar with demand and power factor.
 */
import { JUNE_ZONE, juneDays, KVARH_15, KWH_15, SUMMER_WINTER } from '../../mdm/billing/__fixtures__/june-2024.js';
import { saveBillingProfile, saveTouCalendar } from '../../mdm/billing/config-store.js';
import { upsertUsagePoint } from '../../mdm/master-data.js';
import type { SqlExecutor } from '../../mdm/sql.js';
import { sliceForUsagePoint, type StoredSlice } from '../../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../../mdm/store/interval-store.js';
import type { IntervalDayRow } from '../../mdm/billing/interval-series.js';

export const JUNE_USAGE_POINT = '0190a0e1-0000-7000-8000-0000000b0001';
export const JUNE_USAGE_POINT_NAME = 'LGS service 0001';

/** Day rows as the store's slices: one per row, from its local midnight. */
export function slicesOf(rows: readonly IntervalDayRow[], target: { usagePoint: string; readingType: string; timeZone: string }): StoredSlice[] {
  return rows.flatMap((row) => sliceForUsagePoint({ start: row.dayStart, intervalSeconds: row.intervalSeconds, values: row.values, qualities: row.qualities }, target));
}

/** The June usage point with its kWh and kVArh, the TOU calendar, and an E-LGS profile (15-minute rolling demand, PF). */
export async function seedJune(tx: SqlExecutor, options: { demand?: { windowMinutes: 15 | 30 | 60; window: 'fixed' | 'rolling' } } = {}): Promise<void> {
  await upsertUsagePoint(tx, {
    mRID: JUNE_USAGE_POINT,
    name: JUNE_USAGE_POINT_NAME,
    commodity: 'electric',
    rateClass: 'E-LGS',
    timeZone: JUNE_ZONE,
    connectionState: 'connected',
    names: [{ name: 'PREM-0001', nameType: 'cis:premise' }],
  });
  const { kwh, kvarh } = juneDays();
  const target = { usagePoint: JUNE_USAGE_POINT, timeZone: JUNE_ZONE };
  await writeIntervalSlices(tx, [...slicesOf(kwh, { ...target, readingType: KWH_15 }), ...slicesOf(kvarh, { ...target, readingType: KVARH_15 })], { by: 'test', kind: 'import' });
  await saveTouCalendar(tx, SUMMER_WINTER, 'test');
  await saveBillingProfile(
    tx,
    { rateClass: 'E-LGS', effectiveFrom: '2024-01-01', readingTypes: [KWH_15], touCalendar: SUMMER_WINTER.name, demand: options.demand ?? { windowMinutes: 60, window: 'rolling' }, powerFactor: true },
    'test',
  );
}
