/**
 * CMEP records → canonical objects (cmep.md §11, §14; cim.md §3, §9). Pure: no I/O, no clock.
 * Interval units become IntervalBlocks, one per meter / unit / contiguous run: the rows of one
 * meter-day split by the 48-triplet limit join into one block, and catch-up rows that repeat a
 * reading are de-duplicated (the later occurrence in the input wins, and is counted). `…REG`
 * units become RegisterReads, MEPMD02 TOU totals become billing-period reads, MEPEC01 records
 * are kept as typed equipment records.
 *
 * Memory stays flat whatever the file size: the mapper keeps a window of the series (meter ×
 * reading type) and reads it saw last, and `takeClosed` hands out the ones that fell out of the
 * window as blocks and reads to publish while the file is still being read. A file grouped by
 * meter (the usual export) joins every meter-day fully inside the window. Rows of a series that
 * come back after it left the window (a catch-up delivery at the end of a large file) start a new
 * block: the store merges both into the same day row and ignores the repeated readings, so only
 * the `duplicates` count of the import misses them.
 */
import type { IntervalBlock, Meter, MeterMultiplier, Reference, RegisterRead } from '../../canonical/index.js';
import { ExactDecimal, isSupportedIntervalSeconds, MacroPeriod, toDecimalString } from '../../canonical/index.js';
import { fixedSeconds } from './clock.js';
import { parseFlag } from './codec.js';
import type { CmepFlag, EquipmentRecord, MeterDataRecord, TouDataRecord, CmepRecord } from './records.js';
import { qualityCodesOfLetter, readingTypeOf } from './reading-types.js';
import { resolveUnit, touBucketOf, type CmepProfile, type UnitMapping } from './spec.js';

/** A record (or one triplet of it) the mapping could not use: it goes to quarantine. */
export interface MappingIssue {
  readonly line: number;
  readonly reason: string;
}

export interface MappingResult {
  readonly blocks: IntervalBlock[];
  readonly reads: RegisterRead[];
  readonly equipment: EquipmentRecord[];
  readonly issues: MappingIssue[];
  readonly warnings: string[];
  /** Readings that repeated an earlier (meter, unit, time) in the input; the later one was kept. */
  readonly duplicates: number;
  /** Readings kept (interval values plus reads). */
  readonly readings: number;
  /** Rows whose purpose is not accepted for storage (cmep.md §4). */
  readonly skippedByPurpose: number;
}

interface Reading {
  value: string | null;
  qualities: readonly string[];
  status: string | null;
}

interface Series {
  readonly meter: Reference;
  readonly readingType: string;
  readonly intervalSeconds: number;
  readonly readings: Map<number, Reading>;
}

interface FlagMeaning {
  readonly qualities: readonly string[];
  readonly status: string | null;
}

const MONTH_SECONDS_MARKER = -1;

/** Series and reads kept open by default: 1,000 meter-days of 15-minute data, about 12 MB. */
export const DEFAULT_OPEN_WINDOW = 1_000;

export interface ClosedOutput {
  readonly blocks: IntervalBlock[];
  readonly reads: RegisterRead[];
}

export class CmepMapper {
  /** In least-recently-used order: a series seen again moves to the end. */
  private readonly series = new Map<string, Series>();
  private readonly reads = new Map<string, RegisterRead>();
  private closedReadings = 0;
  private readonly equipment: EquipmentRecord[] = [];
  private readonly issues: MappingIssue[] = [];
  private readonly warnings: string[] = [];
  private readonly flagMeanings = new Map<string, FlagMeaning>();
  private readonly source: string;
  private duplicates = 0;
  private skippedByPurpose = 0;

  constructor(
    private readonly profile: CmepProfile,
    private readonly openWindow = DEFAULT_OPEN_WINDOW,
  ) {
    this.source = `cmep:${profile.source}`;
  }

  /**
   * The series and reads beyond the open window, least recently seen first: final as far as this
   * mapper is concerned, to be published now so memory does not grow with the file.
   */
  takeClosed(): ClosedOutput {
    const blocks: IntervalBlock[] = [];
    const reads: RegisterRead[] = [];
    for (const [key, series] of this.series) {
      if (this.series.size <= this.openWindow) break;
      this.series.delete(key);
      this.closedReadings += series.readings.size;
      blocks.push(...blocksOf(series, this.source));
    }
    for (const [key, read] of this.reads) {
      if (this.reads.size <= this.openWindow) break;
      this.reads.delete(key);
      this.closedReadings++;
      reads.push(read);
    }
    return { blocks, reads };
  }

  /** Takes one record; returns the issues it raised (also kept for `finish`). */
  add(record: CmepRecord): MappingIssue[] {
    const before = this.issues.length;
    if (record.type === 'MEPEC01') {
      this.equipment.push(record);
    } else if (!this.profile.purposes.includes(record.purpose)) {
      this.skippedByPurpose++;
      this.warnings.push(`line ${record.line}: purpose ${JSON.stringify(record.purpose)} is not accepted for storage; row skipped`);
    } else {
      const mapping = resolveUnit(this.profile, record.unit);
      if (mapping === undefined) {
        this.issue(record.line, `unknown unit ${JSON.stringify(record.unit)}: not in the source's unit map (cmep.md §4)`);
      } else if (record.type === 'MEPMD01') {
        this.addMeterData(record, mapping);
      } else {
        this.addTouData(record, mapping);
      }
    }
    return this.issues.slice(before);
  }

  private issue(line: number, reason: string): void {
    this.issues.push({ line, reason });
  }

  private meterOf(meterId: string): Reference {
    return { name: meterId, nameType: `cmep:${this.profile.source}/meterId` };
  }

  /** CMEP v1.20 §10 flag → canonical qualities plus the vendor status kept verbatim. */
  private meaningOf(flag: string): FlagMeaning {
    const cached = this.flagMeanings.get(flag);
    if (cached !== undefined) return cached;
    const parsed: CmepFlag = parseFlag(flag) ?? { flag, letter: 'R', status: undefined };
    const extra = parsed.status === undefined ? [] : (this.profile.flags[parsed.status] ?? []);
    const letterCodes = qualityCodesOfLetter(parsed.letter);
    const meaning: FlagMeaning = {
      qualities: extra.length === 0 ? letterCodes : [...new Set([...letterCodes, ...extra])],
      status: flag === '' ? null : flag,
    };
    this.flagMeanings.set(flag, meaning);
    return meaning;
  }

  private scaled(value: string | null, mapping: UnitMapping): string | null {
    if (value === null || mapping.multiplier === '1') return value;
    return toDecimalString(new ExactDecimal(value).times(mapping.multiplier));
  }

  private intervalSecondsOf(record: MeterDataRecord): number | string {
    if (record.interval !== undefined) return fixedSeconds(record.interval) ?? MONTH_SECONDS_MARKER;
    // Interval empty: every stamp was given (§4); the spacing of the stamps tells the length.
    const ends = record.ends;
    if (ends.length < 2) return 'interval is empty and a single triplet cannot tell the interval length';
    const step = (ends[1] ?? 0) - (ends[0] ?? 0);
    for (let index = 2; index < ends.length; index++) {
      if ((ends[index] ?? 0) - (ends[index - 1] ?? 0) !== step) return 'interval is empty and the stamps are not evenly spaced';
    }
    return step / 1000;
  }

  private addMeterData(record: MeterDataRecord, mapping: UnitMapping): void {
    if (mapping.kind === 'register') {
      const readingType = readingTypeOf(mapping, { commodity: record.commodity });
      this.addReads(record, mapping, readingType);
      return;
    }
    const seconds = this.intervalSecondsOf(record);
    if (typeof seconds === 'string') return this.issue(record.line, seconds);
    if (seconds === MONTH_SECONDS_MARKER) {
      // A calendar-month interval has no fixed length: each value is a monthly read (decision in README).
      const readingType = readingTypeOf(mapping, { commodity: record.commodity, macroPeriod: MacroPeriod.Monthly });
      this.addReads(record, mapping, readingType);
      return;
    }
    if (!isSupportedIntervalSeconds(seconds)) {
      return this.issue(record.line, `interval of ${seconds} s cannot travel as an interval block (it must divide an hour, be whole hours dividing a day, or whole days)`);
    }
    const readingType = readingTypeOf(mapping, { commodity: record.commodity, intervalSeconds: seconds });
    const key = `${record.meterId}\u0000${readingType}\u0000${seconds}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = { meter: this.meterOf(record.meterId), readingType, intervalSeconds: seconds, readings: new Map() };
    } else {
      // Re-inserted below: the Map's order is the window's least-recently-used order.
      this.series.delete(key);
    }
    this.series.set(key, series);
    const gridMs = Math.min(seconds, 900) * 1000;
    let offGrid = 0;
    for (let index = 0; index < record.values.length; index++) {
      const problem = record.problems?.get(index);
      if (problem !== undefined) {
        this.issue(record.line, problem);
        continue;
      }
      const end = record.ends[index] ?? Number.NaN;
      if (end % gridMs !== 0) offGrid++;
      const meaning = this.meaningOf(record.flags[index] ?? '');
      if (series.readings.has(end)) this.duplicates++;
      series.readings.set(end, { value: this.scaled(record.values[index] ?? null, mapping), qualities: meaning.qualities, status: meaning.status });
    }
    // cmep.md §7: for interval units, warn (do not reject) when a stamp is off the expected grid.
    if (offGrid > 0) this.warnings.push(`line ${record.line}: ${offGrid} stamp(s) off the ${gridMs / 60_000}-minute grid`);
  }

  private addReads(record: MeterDataRecord, mapping: UnitMapping, readingType: string): void {
    for (let index = 0; index < record.values.length; index++) {
      const problem = record.problems?.get(index);
      if (problem !== undefined) {
        this.issue(record.line, problem);
        continue;
      }
      const end = record.ends[index] ?? Number.NaN;
      const meaning = this.meaningOf(record.flags[index] ?? '');
      this.putRead(`${record.meterId}\u0000${readingType}\u0000${end}`, {
        meter: this.meterOf(record.meterId),
        readingType,
        timeStamp: new Date(end).toISOString(),
        value: this.scaled(record.values[index] ?? null, mapping),
        qualities: [...meaning.qualities],
        ...(meaning.status === null ? {} : { sourceStatus: meaning.status }),
        source: this.source,
      });
    }
  }

  private putRead(key: string, read: RegisterRead): void {
    if (this.reads.delete(key)) this.duplicates++;
    this.reads.set(key, read);
  }

  /** MEPMD02: each TOU entry is a billing-period total for its bucket (cmep.md §5). */
  private addTouData(record: TouDataRecord, mapping: UnitMapping): void {
    for (const entry of record.entries) {
      if (entry.problem !== undefined) {
        this.issue(record.line, entry.problem);
        continue;
      }
      const tou = touBucketOf(this.profile, entry.label);
      if (tou === undefined) {
        this.issue(record.line, `TOU label ${JSON.stringify(entry.label)} is not in the source's touLabels`);
        continue;
      }
      const readingType = readingTypeOf(mapping, { commodity: record.commodity, macroPeriod: MacroPeriod.BillingPeriod, tou });
      const meaning = this.meaningOf(entry.flag);
      const register = record.season === '' ? entry.label : `${entry.label}/${record.season}`;
      this.putRead(`${record.meterId}\u0000${readingType}\u0000${register}\u0000${record.periodEnd}`, {
        meter: this.meterOf(record.meterId),
        register,
        readingType,
        timeStamp: new Date(record.periodEnd).toISOString(),
        value: this.scaled(entry.value, mapping),
        qualities: [...meaning.qualities],
        ...(meaning.status === null ? {} : { sourceStatus: meaning.status }),
        source: this.source,
      });
    }
  }

  /**
   * The blocks (contiguous runs per series, in time order) and reads still open, and the counts
   * of the whole input (including what takeClosed handed out).
   */
  finish(): MappingResult {
    const blocks: IntervalBlock[] = [];
    let readings = this.reads.size + this.closedReadings;
    for (const series of this.series.values()) {
      readings += series.readings.size;
      blocks.push(...blocksOf(series, this.source));
    }
    return {
      blocks,
      reads: [...this.reads.values()],
      equipment: this.equipment,
      issues: this.issues,
      warnings: this.warnings,
      duplicates: this.duplicates,
      readings,
      skippedByPurpose: this.skippedByPurpose,
    };
  }
}

function blocksOf(series: Series, source: string): IntervalBlock[] {
  const ends = [...series.readings.keys()].sort((a, b) => a - b);
  const stepMs = series.intervalSeconds * 1000;
  const blocks: IntervalBlock[] = [];
  let runStart = 0;
  for (let index = 1; index <= ends.length; index++) {
    if (index < ends.length && (ends[index] ?? 0) - (ends[index - 1] ?? 0) === stepMs) continue;
    const run = ends.slice(runStart, index);
    const readings = run.map((end) => series.readings.get(end) ?? { value: null, qualities: [], status: null });
    blocks.push({
      meter: series.meter,
      readingType: series.readingType,
      // cmep.md §7: the canonical interval start is end − interval length.
      start: new Date((run[0] ?? 0) - stepMs).toISOString(),
      intervalSeconds: series.intervalSeconds,
      values: readings.map((reading) => reading.value),
      qualities: readings.map((reading) => [...reading.qualities]),
      sourceStatuses: readings.map((reading) => reading.status),
      source,
    });
    runStart = index;
  }
  return blocks;
}

/** Maps the records of one input in order; see CmepMapper. */
export function mapRecords(records: Iterable<CmepRecord>, profile: CmepProfile): MappingResult {
  const mapper = new CmepMapper(profile);
  for (const record of records) mapper.add(record);
  return mapper.finish();
}

const COMMODITY_OF_LETTER: Readonly<Record<string, Meter['commodity']>> = { E: 'electric', W: 'water', G: 'gas' };
const MULTIPLIER_PARAMETERS: Readonly<Record<string, MeterMultiplier['kind']>> = { KH: 'kH', KE: 'kE' };

/**
 * A MEPEC01 `METER` record as a canonical Meter without its mRID (the ERP core owns meter
 * identity, so the adapter does not mint one). Other equipment types (RECORDER, PT, CT) and
 * steam have no canonical counterpart: undefined. Every parameter stays on the EquipmentRecord.
 */
export function meterDraftOf(record: EquipmentRecord, profile: Pick<CmepProfile, 'source'>): Omit<Meter, 'mRID'> | undefined {
  const commodity = COMMODITY_OF_LETTER[record.commodity];
  if (record.equipmentType !== 'METER' || commodity === undefined || record.serialNumber === '') return undefined;
  const multipliers: MeterMultiplier[] = [];
  for (const [name, kind] of Object.entries(MULTIPLIER_PARAMETERS)) {
    const value = record.parameters[name];
    if (value !== undefined && /^-?\d+(\.\d+)?$/.test(value)) multipliers.push({ kind, value });
  }
  const form = record.parameters.FORM;
  return {
    names: [{ name: record.serialNumber, nameType: `cmep:${profile.source}/meterId` }],
    serialNumber: record.serialNumber,
    ...(record.manufacturer === '' ? {} : { manufacturer: record.manufacturer }),
    ...(record.model === '' ? {} : { model: record.model }),
    ...(form === undefined || form === '' ? {} : { formNumber: form }),
    commodity,
    multipliers,
    registers: [],
  };
}
