/**
 * Pure: the demo utility's master data, derived from its size and the day it is seeded. The ids
 * are fixed so every demo data folder has the same usage points, and the log and the README can
 * name one. Three US zones so local days (and their DST changes) differ across usage points.
 */
import type { Commodity } from '../../canonical/model/usage-point.js';
import { DateTime } from 'luxon';

/** The drop-folder source of the demo; CMEP meter ids are looked up as `cmep:demo/meterId`. */
export const DEMO_SOURCE = 'demo';
export const DEMO_NAME_TYPE = `cmep:${DEMO_SOURCE}/meterId`;
export const DEMO_ZONES = ['America/Chicago', 'America/New_York', 'America/Denver'] as const;

const RATE_CLASSES: Readonly<Record<Commodity, readonly string[]>> = {
  electric: ['E-RES', 'E-RES-TOU', 'E-SGS', 'E-LGS'],
  water: ['W-RES', 'W-COM'],
  gas: ['G-RES', 'G-COM'],
};
const SERIAL_PREFIX: Readonly<Record<Commodity, string>> = { electric: 'E', water: 'W', gas: 'G' };

export interface DemoMeter {
  readonly mRID: string;
  readonly serialNumber: string;
}

export interface DemoUsagePoint {
  readonly mRID: string;
  readonly name: string;
  readonly commodity: Commodity;
  readonly rateClass: string;
  readonly timeZone: string;
  readonly meter: DemoMeter;
  /** The meter that replaced `meter` at `at` (one usage point shows an exchange mid-day). */
  readonly exchange?: { readonly meter: DemoMeter; readonly at: string };
}

export interface DemoPlan {
  readonly usagePoints: readonly DemoUsagePoint[];
  /** A meter the file names but master data does not know: its readings are quarantined. */
  readonly unknownMeter: string;
}

export interface DemoSize {
  readonly electric: number;
  readonly water: number;
  readonly gas: number;
}

export const DEFAULT_DEMO_SIZE: DemoSize = { electric: 180, water: 70, gas: 50 };

/** A fixed UUID-shaped id: `kind` tells usage points (d3e0) from meters (d3e1) at a glance. */
function demoId(kind: 'd3e0' | 'd3e1', index: number): string {
  return `0190${kind}-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** The first usage point: the one the start-up log uses in its curl example. */
export const DEMO_FIRST_USAGE_POINT = demoId('d3e0', 1);

/** Yesterday's local date in `zone`, the day the demo file covers. */
export function demoLocalDate(now: Date, zone: string): string {
  const date = DateTime.fromJSDate(now, { zone }).minus({ days: 1 }).toISODate();
  if (date === null) throw new Error(`cannot compute yesterday in ${zone}`);
  return date;
}

export function demoPlan(now: Date, size: DemoSize = DEFAULT_DEMO_SIZE): DemoPlan {
  const usagePoints: DemoUsagePoint[] = [];
  const commodities: Commodity[] = [
    ...Array<Commodity>(size.electric).fill('electric'),
    ...Array<Commodity>(size.water).fill('water'),
    ...Array<Commodity>(size.gas).fill('gas'),
  ];
  commodities.forEach((commodity, position) => {
    const index = position + 1;
    const classes = RATE_CLASSES[commodity];
    const timeZone = DEMO_ZONES[position % DEMO_ZONES.length] ?? 'America/Chicago';
    const serial = `${SERIAL_PREFIX[commodity]}-${String(10_000 + index)}`;
    const usagePoint: DemoUsagePoint = {
      mRID: demoId('d3e0', index),
      name: `${commodity} service ${String(index).padStart(3, '0')}`,
      commodity,
      rateClass: classes[position % classes.length] ?? classes[0] ?? commodity,
      timeZone,
      meter: { mRID: demoId('d3e1', index), serialNumber: serial },
    };
    if (index === 1) {
      // Noon yesterday, local: the file holds the old meter's morning and the new meter's afternoon.
      const at = DateTime.fromISO(`${demoLocalDate(now, timeZone)}T12:00`, { zone: timeZone }).toUTC().toISO();
      if (at === null) throw new Error(`cannot compute the demo exchange instant in ${timeZone}`);
      usagePoints.push({ ...usagePoint, exchange: { meter: { mRID: demoId('d3e1', 100_000 + index), serialNumber: `${serial}-X` }, at } });
    } else {
      usagePoints.push(usagePoint);
    }
  });
  return { usagePoints, unknownMeter: 'E-99999' };
}
