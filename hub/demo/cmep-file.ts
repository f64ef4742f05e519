/**
 * Pure: the demo's CMEP file (MEPMD01, CMEP v1.20 §4) for yesterday's local day of every demo
 * usage point: 15-minute kWh for electric, hourly CF for water and gas with a CFREG register read
 * at each local midnight, a few estimated (`E`) and missing (`N`) values (a single missing
 * quarter-hour the hub interpolates, a five-hour water or gas outage it shares out by the rate
 * class's profile against the register reads),
 * and three bad lines
 * (a short line, an impossible date, a meter nobody knows) so the quarantine has something to show.
 * Stamps are UTC, the profile default (cmep.md §7); the first triplet carries the end of its
 * interval and the rest are left empty, "previous plus Interval".
 */
import { intervalsInLocalDay, localDayStart } from '../../canonical/time.js';
import { demoLocalDate, type DemoPlan, type DemoUsagePoint } from './plan.js';

export interface DemoBadLine {
  readonly line: number;
  readonly kind: 'short-line' | 'bad-date' | 'unknown-meter';
  readonly meterId: string;
}

export interface DemoCmepFile {
  readonly name: string;
  readonly text: string;
  readonly lines: number;
  readonly badLines: readonly DemoBadLine[];
}

const HEADER_START = ['MEPMD01', '19970819', 'BUSBAR-DEMO', '', 'DEMO-UTILITY', ''];

/** `CCYYMMDDHHMM` in UTC. */
function stamp(millis: number): string {
  return new Date(millis).toISOString().replace(/[-T:]/g, '').slice(0, 12);
}

/** A small deterministic generator (mulberry32): the same plan gives the same file. */
function randomFor(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Triplet {
  readonly end: number;
  readonly flag: string;
  readonly value: string;
}

function meterDataLine(createdAt: string, meterId: string, commodity: string, unit: string, interval: string, triplets: readonly Triplet[]): string {
  const fields = [...HEADER_START, createdAt, meterId, 'OK', commodity, unit, '1', interval, String(triplets.length)];
  let previousEnd = Number.NaN;
  const stepMillis = triplets.length > 1 ? (triplets[1]?.end ?? 0) - (triplets[0]?.end ?? 0) : 0;
  for (const triplet of triplets) {
    fields.push(triplet.end - previousEnd === stepMillis ? '' : stamp(triplet.end), triplet.flag, triplet.value);
    previousEnd = triplet.end;
  }
  return fields.join(',');
}

/** CMEP v1.20 §4 caps a record at 48 triplets: a day of quarter-hours takes two lines. */
const MAX_TRIPLETS = 48;

function meterDataLines(createdAt: string, meterId: string, commodity: string, unit: string, interval: string, triplets: readonly Triplet[]): string[] {
  const lines: string[] = [];
  for (let start = 0; start < triplets.length; start += MAX_TRIPLETS) {
    lines.push(meterDataLine(createdAt, meterId, commodity, unit, interval, triplets.slice(start, start + MAX_TRIPLETS)));
  }
  return lines;
}

/** Load shape over the local day: low at night, a morning and an evening peak. */
function shape(hourOfDay: number): number {
  return 0.6 + 0.5 * Math.exp(-((hourOfDay - 8) ** 2) / 6) + 0.9 * Math.exp(-((hourOfDay - 19) ** 2) / 8);
}

interface DayIntervals {
  readonly localDate: string;
  readonly dayStart: number;
  readonly count: number;
}

function dayOf(usagePoint: DemoUsagePoint, now: Date, intervalSeconds: number): DayIntervals {
  const localDate = demoLocalDate(now, usagePoint.timeZone);
  return { localDate, dayStart: Date.parse(localDayStart(localDate, usagePoint.timeZone)), count: intervalsInLocalDay(localDate, usagePoint.timeZone, intervalSeconds) };
}

/** A five-hour outage (09:00–14:00) of every 11th water or gas point: too long to interpolate. */
function inOutage(usagePoint: DemoUsagePoint, index: number, position: number): boolean {
  return usagePoint.commodity !== 'electric' && index % 11 === 0 && position >= 9 && position < 14;
}

/**
 * Values of one day; every 37th usage point has an estimated interval, every 41st a missing one.
 * `used` is what the meter really recorded, the values lost in an outage included.
 */
function dayTriplets(usagePoint: DemoUsagePoint, index: number, day: DayIntervals, intervalSeconds: number, scale: number): { triplets: Triplet[]; used: number } {
  const random = randomFor(index * 7919);
  const perHour = 3600 / intervalSeconds;
  let used = 0;
  const triplets = Array.from({ length: day.count }, (_, position): Triplet => {
    const end = day.dayStart + (position + 1) * intervalSeconds * 1000;
    const value = (scale * shape(position / perHour) * (0.7 + 0.6 * random())).toFixed(usagePoint.commodity === 'electric' ? 3 : 1);
    used += Number(value);
    if ((index % 41 === 0 && position === 10) || inOutage(usagePoint, index, position)) return { end, flag: 'N', value: '' };
    if (index % 37 === 0 && position >= 20 && position < 23) return { end, flag: 'E', value };
    return { end, flag: '', value };
  });
  return { triplets, used };
}

function linesOf(usagePoint: DemoUsagePoint, index: number, now: Date, createdAt: string): string[] {
  if (usagePoint.commodity === 'electric') {
    const day = dayOf(usagePoint, now, 900);
    const { triplets } = dayTriplets(usagePoint, index, day, 900, usagePoint.rateClass === 'E-LGS' ? 4 : 0.3);
    const exchange = usagePoint.exchange;
    if (exchange === undefined) return meterDataLines(createdAt, usagePoint.meter.serialNumber, 'E', 'KWH', '00000015', triplets);
    // Each interval belongs to the meter that was in at its end (cim.md §7).
    const at = Date.parse(exchange.at);
    return [
      ...meterDataLines(createdAt, usagePoint.meter.serialNumber, 'E', 'KWH', '00000015', triplets.filter((triplet) => triplet.end <= at)),
      ...meterDataLines(createdAt, exchange.meter.serialNumber, 'E', 'KWH', '00000015', triplets.filter((triplet) => triplet.end > at)),
    ];
  }
  const letter = usagePoint.commodity === 'water' ? 'W' : 'G';
  const day = dayOf(usagePoint, now, 3600);
  const { triplets, used } = dayTriplets(usagePoint, index, day, 3600, usagePoint.commodity === 'water' ? 4 : 25);
  const startRead = 10_000 + index * 137;
  const register = (end: number, value: number): string => meterDataLine(createdAt, usagePoint.meter.serialNumber, letter, 'CFREG', '', [{ end, flag: '', value: value.toFixed(1) }]);
  return [
    register(day.dayStart, startRead),
    ...meterDataLines(createdAt, usagePoint.meter.serialNumber, letter, 'CF', '00000100', triplets),
    register(day.dayStart + day.count * 3_600_000, startRead + used),
  ];
}

/** The file for the day before `now`; bad lines sit among the good ones, as they do in real feeds. */
export function demoCmepFile(plan: DemoPlan, now: Date): DemoCmepFile {
  const createdAt = stamp(now.getTime());
  const lines: string[] = [];
  const badLines: DemoBadLine[] = [];
  const first = plan.usagePoints[0];
  const localDate = first === undefined ? demoLocalDate(now, 'UTC') : demoLocalDate(now, first.timeZone);
  const someEnd = Date.parse(localDayStart(localDate, 'UTC')) + 15 * 60_000;
  const bad: Record<number, () => void> = {
    5: () => {
      // Says four triplets, carries two: the line was cut short.
      lines.push([...HEADER_START, createdAt, 'E-10003', 'OK', 'E', 'KWH', '1', '00000015', '4', stamp(someEnd), '', '0.512', '', '', '0.498'].join(','));
      badLines.push({ line: lines.length, kind: 'short-line', meterId: 'E-10003' });
    },
    60: () => {
      lines.push([...HEADER_START, createdAt, 'E-10004', 'OK', 'E', 'KWH', '1', '00000015', '1', `${localDate.replace(/-/g, '').slice(0, 4)}13450015`, '', '0.420'].join(','));
      badLines.push({ line: lines.length, kind: 'bad-date', meterId: 'E-10004' });
    },
    150: () => {
      lines.push(meterDataLine(createdAt, plan.unknownMeter, 'E', 'KWH', '00000015', [{ end: someEnd, flag: '', value: '0.250' }, { end: someEnd + 900_000, flag: '', value: '0.260' }]));
      badLines.push({ line: lines.length, kind: 'unknown-meter', meterId: plan.unknownMeter });
    },
  };
  plan.usagePoints.forEach((usagePoint, position) => {
    bad[position]?.();
    lines.push(...linesOf(usagePoint, position + 1, now, createdAt));
  });
  return { name: `demo-${localDate}.cmep`, text: `${lines.join('\r\n')}\r\n`, lines: lines.length, badLines };
}
