/**
 * A small store for the interval export tests, written through the meter data core:
 * - UP-A (RES, Chicago) on meter MTR-A with a CT ratio of 40: 2024-01-02 in quarter-hours of kWh,
 *   hour h (0-23) holding h+1.0, h+1.1, h+1.2, h+1.3; the 05:15 and 05:30 quarter-hours of hour 1
 *   estimated, the 02:30 quarter-hour missing (a gap), the rest validated; then re-delivered with
 *   the first quarter-hour at 1.5 (version 2, the one exported). Also 15-minute kW demand.
 * - UP-B (COM, Chicago), no meter: 2024-01-02 in hours of kWh, 2 each, no quality code (raw).
 * - UP-C (RES), no data.
 * Each usage point also has 2024-01-01 and 2024-01-03 stored, which the tests' days leave out.
 */
import { QualityCodes } from '../../canonical/quality.js';
import { ReadingTypeCodes } from '../../canonical/reading-type.js';
import { assignMeter, upsertMeter, upsertUsagePoint } from '../../mdm/master-data.js';
import type { SqlExecutor } from '../../mdm/sql.js';
import { sliceForUsagePoint } from '../../mdm/store/day-vector.js';
import { writeIntervalSlices } from '../../mdm/store/interval-store.js';

export const EXPORT_ZONE = 'America/Chicago';
export const KWH_15 = ReadingTypeCodes.IntervalKwhForward15Min;
export const KWH_60 = ReadingTypeCodes.IntervalKwhForward60Min;
/** 15-minute kW maximum demand as the CMEP unit map derives it (KW, commodity E). */
export const KW_15 = '0.8.2.0.1.1.8.0.0.0.0.0.0.0.0.3.38.0';
export const UP_A = '0190a0e1-0000-7000-8000-0000000ea001';
export const UP_B = '0190a0e1-0000-7000-8000-0000000ea002';
export const UP_C = '0190a0e1-0000-7000-8000-0000000ea003';
export const METER_A = '0190a0e1-0000-7000-8000-0000000ea101';
/** Local midnight of 2024-01-02 in Chicago (CST). */
export const DAY_START = '2024-01-02T06:00:00Z';
const DAY_MILLIS = 86_400_000;
const IMPORT = { by: 'cmep:feedA', kind: 'import' } as const;

function quarterHoursOfA(): { values: (string | null)[]; qualities: string[][] } {
  const values: (string | null)[] = Array.from({ length: 96 }, (_, index) => `${Math.floor(index / 4) + 1}.${index % 4}`);
  const qualities: string[][] = values.map(() => [QualityCodes.VALIDATED]);
  qualities[5] = [QualityCodes.ESTIMATED];
  qualities[6] = [QualityCodes.ESTIMATED];
  values[10] = null;
  qualities[10] = [QualityCodes.MISSING];
  return { values, qualities };
}

const dayAt = (offsetDays: number) => new Date(Date.parse(DAY_START) + offsetDays * DAY_MILLIS).toISOString();

export async function seedExportStore(db: SqlExecutor): Promise<void> {
  for (const [mRID, name, rateClass] of [[UP_A, 'UP-A', 'RES'], [UP_B, 'UP-B', 'COM'], [UP_C, 'UP-C', 'RES']] as const) {
    await upsertUsagePoint(db, { mRID, name, rateClass, commodity: 'electric', timeZone: EXPORT_ZONE, connectionState: 'connected' });
  }
  await upsertMeter(db, { mRID: METER_A, serialNumber: 'MTR-A', commodity: 'electric', multipliers: [{ kind: 'ctRatio', value: '40' }], registers: [] });
  await assignMeter(db, { meter: METER_A, usagePoint: UP_A, validFrom: '2020-01-01T00:00:00Z' });
  const a = { usagePoint: UP_A, readingType: KWH_15, timeZone: EXPORT_ZONE };
  const day = quarterHoursOfA();
  for (const offset of [-1, 0, 1]) await writeIntervalSlices(db, sliceForUsagePoint({ start: dayAt(offset), intervalSeconds: 900, ...day }, a), IMPORT);
  const redelivered = { ...day, values: ['1.5', ...day.values.slice(1)] };
  await writeIntervalSlices(db, sliceForUsagePoint({ start: dayAt(0), intervalSeconds: 900, ...redelivered }, a), IMPORT);
  const demand = Array.from({ length: 96 }, () => '4.2');
  await writeIntervalSlices(db, sliceForUsagePoint({ start: dayAt(0), intervalSeconds: 900, values: demand, qualities: demand.map(() => []) }, { ...a, readingType: KW_15 }), IMPORT);
  const hours = Array.from({ length: 24 }, () => '2');
  for (const offset of [-1, 0, 1]) {
    await writeIntervalSlices(
      db,
      sliceForUsagePoint({ start: dayAt(offset), intervalSeconds: 3600, values: hours, qualities: hours.map(() => []) }, { usagePoint: UP_B, readingType: KWH_60, timeZone: EXPORT_ZONE }),
      IMPORT,
    );
  }
}
