/**
 * Pure: maximum demand from interval energy. A window's demand is the energy of its intervals ×
 * 60 / window minutes (kWh in 15 minutes × 4 = kW), exact in the series' scaled integers.
 *
 * - `fixed` windows are aligned to the local clock hour (:00, :15, :30, :45 for 15 minutes); a
 *   window cut by the bill period's bound keeps the intervals inside it.
 * - `rolling` windows start at every interval and span window / interval length consecutive
 *   intervals (a 60-minute window slides by 15 minutes over quarter-hour data); only windows
 *   wholly inside the period count.
 *
 * A window counts toward a TOU bucket's maximum only when every interval in it lies in that
 * bucket, so off-peak energy never sets an on-peak demand; it always counts toward the overall
 * maximum. Missing intervals add nothing (their count travels with the determinant); a window
 * with no value at all is no candidate. The earliest of equal windows is the maximum.
 */
import type { PeriodSeries } from './interval-series.js';
import { SlotState } from './interval-series.js';
import type { DemandSettings } from './reading-type-plan.js';

export interface DemandPeak {
  /** Demand × 10^scale of the series, in the power unit of its energy unit. */
  readonly value: bigint;
  /** Epoch milliseconds of the window's start. */
  readonly at: number;
}

export interface DemandPeaks {
  readonly overall?: DemandPeak;
  /** By TOU bucket index; undefined where no window fell wholly inside the bucket. */
  readonly byBucket: (DemandPeak | undefined)[];
}

const MINUTE_MILLIS = 60_000;

class PeakTracker {
  overall: DemandPeak | undefined;
  readonly byBucket: (DemandPeak | undefined)[];

  constructor(
    bucketCount: number,
    private readonly factor: bigint,
  ) {
    this.byBucket = new Array<DemandPeak | undefined>(bucketCount).fill(undefined);
  }

  /** A window with `present` values, its energy sum, its start and its bucket (-1: mixed or none). */
  offer(sum: bigint, present: number, at: number, bucket: number): void {
    if (present === 0) return;
    const value = sum * this.factor;
    if (this.overall === undefined || value > this.overall.value) this.overall = { value, at };
    if (bucket < 0) return;
    const best = this.byBucket[bucket];
    if (best === undefined || value > best.value) this.byBucket[bucket] = { value, at };
  }
}

function fixedWindows(series: PeriodSeries, windowMinutes: number, buckets: Uint16Array | undefined, tracker: PeakTracker): void {
  const { length, startMillis, localMinute, values, states } = series;
  let index = 0;
  while (index < length) {
    // Aligned on local minutes, taken from the slot's own instant: the two 01:00 hours of a
    // fall-back day are two windows.
    const windowStart = (startMillis[index] ?? 0) - ((localMinute[index] ?? 0) % windowMinutes) * MINUTE_MILLIS;
    const windowEnd = windowStart + windowMinutes * MINUTE_MILLIS;
    const bucket = buckets === undefined ? -1 : (buckets[index] ?? -1);
    let uniform = buckets !== undefined;
    let sum = 0n;
    let present = 0;
    while (index < length && (startMillis[index] ?? 0) < windowEnd) {
      if (states[index] !== SlotState.Missing) {
        sum += values[index] ?? 0n;
        present++;
      }
      if (buckets !== undefined && buckets[index] !== bucket) uniform = false;
      index++;
    }
    tracker.offer(sum, present, windowStart, uniform ? bucket : -1);
  }
}

function rollingWindows(series: PeriodSeries, windowMinutes: number, buckets: Uint16Array | undefined, tracker: PeakTracker): void {
  const { length, startMillis, values, states } = series;
  const size = (windowMinutes * 60) / series.intervalSeconds;
  let sum = 0n;
  let present = 0;
  /** Start of the run of equal buckets that the newest slot ends. */
  let runStart = 0;
  for (let index = 0; index < length; index++) {
    if (states[index] !== SlotState.Missing) {
      sum += values[index] ?? 0n;
      present++;
    }
    if (buckets !== undefined && index > 0 && buckets[index] !== buckets[index - 1]) runStart = index;
    const first = index - size + 1;
    if (first < 0) continue;
    const bucket = buckets !== undefined && runStart <= first ? (buckets[index] ?? -1) : -1;
    tracker.offer(sum, present, startMillis[first] ?? 0, bucket);
    if (states[first] !== SlotState.Missing) {
      sum -= values[first] ?? 0n;
      present--;
    }
  }
}

/**
 * The maximum demand of a series, overall and per TOU bucket (`buckets[slot]`, when the bill
 * has a TOU calendar). The window must be a whole number of intervals (config.ts checks it).
 */
export function maxDemand(series: PeriodSeries, settings: DemandSettings, buckets?: Uint16Array, bucketCount = 0): DemandPeaks {
  const tracker = new PeakTracker(bucketCount, BigInt(60 / settings.windowMinutes));
  if (settings.window === 'fixed') fixedWindows(series, settings.windowMinutes, buckets, tracker);
  else rollingWindows(series, settings.windowMinutes, buckets, tracker);
  return { ...(tracker.overall === undefined ? {} : { overall: tracker.overall }), byBucket: tracker.byBucket };
}
