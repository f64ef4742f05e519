/**
 * What the hub's endpoints ask of the rest of the hub, as interfaces the hub implements (the
 * adapter never imports a core, DESIGN.md "Dependency rules"). Meters are named by canonical
 * references (`multispeak:meterNo`, `multispeak:meterGUID`), resolved by whoever holds the
 * master data.
 */
import type { IntervalBlock, Reference, RegisterRead } from '../../../canonical/index.js';

export interface MeterReadings {
  readonly reads: readonly RegisterRead[];
  readonly blocks: readonly IntervalBlock[];
}

export interface ReadingsPage<T> {
  /** By meter number, in the store's page order. */
  readonly meters: readonly { readonly meterNo: string; readonly readings: T }[];
  /** Meters after this page (0 on the last page). */
  readonly remaining: number;
  /** What the partner continues from (LastSent, echoed as lastReceived); the last meter number when absent. */
  readonly lastSent?: string;
}

export interface MeterReadingSource {
  /**
   * For each reference, in order: the meter's current register reads at the latest instant of
   * each reading type, or undefined when no meter has that name.
   */
  latestReads(meters: readonly Reference[]): Promise<readonly (readonly RegisterRead[] | undefined)[]>;
  /** The meter's register reads and interval values in [start, end]; undefined for an unknown meter. */
  readsBetween(meter: Reference, start: string, end: string): Promise<MeterReadings | undefined>;
  /** Meters with a meter number after `after` (all from the first), at most `limit`, with their latest reads. */
  latestReadsPage(after: string | undefined, limit: number): Promise<ReadingsPage<readonly RegisterRead[]>>;
  /** Meters with readings in [start, end] and a meter number after `after`, at most `limit`. */
  readsBetweenPage(start: string, end: string, after: string | undefined, limit: number): Promise<ReadingsPage<MeterReadings>>;
}

/** Limits that keep one request from building a giant answer (multispeak.md §12.8). */
export interface ServerLimits {
  /** Meters per page of GetReadingsByDate / GetLatestReadings. */
  readonly pageSize: number;
  /** Longest period one Get…ByMeterNo/IDs may ask for, in days. */
  readonly maxPeriodDays: number;
  /** Meters one request may name. */
  readonly maxMetersPerRequest: number;
}
