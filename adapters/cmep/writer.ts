/**
 * IntervalBlocks → MEPMD01 export lines (CMEP v1.20 §4). Pure: the creation stamp is an input,
 * not the clock. Rows carry at most 48 triplets and never cross a local day; each stamp is the
 * interval's end (the last quarter-hour of day D is stamped `D+1 0000`, cmep.md §7); a stamp is
 * written only where it is not the previous one plus Interval (the rest are left empty, which
 * CMEP v1.20 §4 allows and which steps over DST in UTC on reading).
 */
import type { IntervalBlock } from '../../canonical/index.js';
import {
  ExactDecimal,
  hasQualityCategory,
  InputError,
  parseReadingType,
  QualityCategory,
  QualityCodes,
  ReadingTypeCommodity,
  toDecimalString,
} from '../../canonical/index.js';
import { WallClock } from './clock.js';
import { formatDateTime } from './fields.js';
import { readingTypeOf } from './reading-types.js';
import { knownUnits, resolveUnit, type CmepProfile, type UnitKind } from './spec.js';

export interface WriterOptions {
  profile: Pick<CmepProfile, 'units'>;
  senderId: string;
  receiverId: string;
  /** Field 6, the file's creation stamp `CCYYMMDDHHMM` (the caller's clock, not ours). */
  createdAt: string;
  /** IANA zone of the written stamps; UTC by default (the CMEP v1.20 rule, cmep.md §7). */
  timeZone?: string;
  /** Only intervals ending in (from, to] (UTC instants). */
  from?: string;
  to?: string;
  /** Only these CMEP units (e.g. `KWH`); all by default. */
  units?: readonly string[];
  /** `estimated` = flag E only, `actual` = everything else; `both` by default. */
  filter?: 'actual' | 'estimated' | 'both';
  /** `multiplied` (default): values as stored, constant 1. `raw`: values ÷ constant, constant written. */
  values?: { mode: 'multiplied' } | { mode: 'raw'; calculationConstant: string };
  /** Roll up to this interval (e.g. 5 → 15 or 15 → 60 minutes), in seconds. */
  rollUpSeconds?: number;
  purpose?: string;
}

const COMMODITY_LETTER: ReadonlyMap<number, string> = new Map([
  [ReadingTypeCommodity.ElectricitySecondaryMetered, 'E'],
  [ReadingTypeCommodity.ElectricityPrimaryMetered, 'E'],
  [ReadingTypeCommodity.NaturalGas, 'G'],
  [ReadingTypeCommodity.PotableWater, 'W'],
]);

/** CMEP v1.20 §8 `MMDDHHMM` for a whole number of minutes or days. */
export function formatInterval(seconds: number): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  if (seconds % 86_400 === 0) return `00${pad(seconds / 86_400)}0000`;
  const minutes = seconds / 60;
  return `0000${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
}

/** The CMEP flag for a value's qualities, reusing the vendor status when it fits (cmep.md §10). */
export function flagOf(value: string | null, qualities: readonly string[], status: string | null | undefined): string {
  let letter: string;
  if (value === null || qualities.includes(QualityCodes.MISSING)) letter = 'N';
  else if (hasQualityCategory(qualities, QualityCategory.Estimated)) letter = 'E';
  else if (hasQualityCategory(qualities, QualityCategory.Edited)) letter = 'A';
  else if (qualities.includes(QualityCodes.VALIDATED)) letter = '';
  else letter = 'R';
  if (status !== null && status !== undefined && status.length > 0) {
    const statusLetter = /^\d/.test(status) ? '' : status[0];
    if (statusLetter === letter) return status;
  }
  return letter;
}

interface Interval {
  end: number;
  value: string | null;
  qualities: readonly string[];
  status: string | null;
}

/** Rolls intervals of `seconds` up to `target` seconds; an incomplete or missing group is `N`. */
function rollUp(intervals: Interval[], seconds: number, target: number, kind: UnitKind): Interval[] {
  if (target % seconds !== 0) throw new InputError(`cannot roll ${seconds} s intervals up to ${target} s`);
  const perGroup = target / seconds;
  const groups = new Map<number, Interval[]>();
  for (const interval of intervals) {
    const group = Math.ceil(interval.end / (target * 1000)) * target * 1000;
    const members = groups.get(group) ?? [];
    members.push(interval);
    groups.set(group, members);
  }
  return [...groups.entries()].map(([end, members]) => {
    const values = members.map((member) => member.value);
    if (members.length !== perGroup || values.includes(null)) return { end, value: null, qualities: [QualityCodes.MISSING], status: null };
    const numbers = values.filter((value): value is string => value !== null).map((value) => new ExactDecimal(value));
    const total = kind === 'demand' ? ExactDecimal.max(...numbers) : kind === 'instantaneous' ? (numbers[numbers.length - 1] ?? new ExactDecimal(0)) : numbers.reduce((sum, value) => sum.plus(value), new ExactDecimal(0));
    const all = members.flatMap((member) => member.qualities);
    const qualities = hasQualityCategory(all, QualityCategory.Estimated) ? [QualityCodes.ESTIMATED] : hasQualityCategory(all, QualityCategory.Edited) ? [QualityCodes.EDITED] : members.every((member) => member.qualities.includes(QualityCodes.VALIDATED)) ? [QualityCodes.VALIDATED] : [];
    return { end, value: toDecimalString(total), qualities, status: null };
  });
}

/** Writes MEPMD01 lines (without line breaks) for the blocks that pass the options' filters. */
export function writeMepmd01(blocks: Iterable<IntervalBlock>, options: WriterOptions): string[] {
  const clock = new WallClock(options.timeZone ?? 'UTC');
  const from = options.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(options.from);
  const to = options.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(options.to);
  const filter = options.filter ?? 'both';
  const valueMode = options.values ?? { mode: 'multiplied' };
  const constant = valueMode.mode === 'raw' ? valueMode.calculationConstant : '1';
  const lines: string[] = [];
  for (const block of blocks) {
    const fields = parseReadingType(block.readingType);
    const commodity = COMMODITY_LETTER.get(fields.commodity);
    if (commodity === undefined) throw new InputError(`no CMEP commodity letter for ReadingType commodity ${fields.commodity}`);
    const unit = unitOf(options.profile, block.readingType, commodity, block.intervalSeconds);
    if (unit === undefined) throw new InputError(`no CMEP unit in the profile for ReadingType ${block.readingType}`);
    if (options.units !== undefined && !options.units.includes(unit.name)) continue;
    const start = Date.parse(block.start);
    let intervals: Interval[] = block.values.map((value, index) => ({
      end: start + (index + 1) * block.intervalSeconds * 1000,
      value,
      qualities: block.qualities[index] ?? [],
      status: block.sourceStatuses?.[index] ?? null,
    }));
    let seconds = block.intervalSeconds;
    if (options.rollUpSeconds !== undefined && options.rollUpSeconds !== seconds) {
      intervals = rollUp(intervals, seconds, options.rollUpSeconds, unit.kind);
      seconds = options.rollUpSeconds;
    }
    const rows = new Map<string, string[]>();
    let previousEnd = Number.NaN;
    let rowKey = '';
    for (const interval of intervals) {
      if (interval.end <= from || interval.end > to) continue;
      const flag = flagOf(interval.value, interval.qualities, interval.status);
      const estimated = flag.startsWith('E');
      if ((filter === 'actual' && estimated) || (filter === 'estimated' && !estimated)) continue;
      // A row never crosses a local day (a 0000 stamp closes the day before, cmep.md §7).
      const wall = clock.toWall(interval.end - 1);
      const day = formatDateTime(wall).slice(0, 8);
      let triplets = rows.get(rowKey);
      if (day !== rowKey.slice(0, 8) || triplets === undefined || triplets.length >= 48 * 3) {
        rowKey = `${day}#${rows.size}`;
        triplets = [];
        rows.set(rowKey, triplets);
        previousEnd = Number.NaN;
      }
      const stamp = interval.end - previousEnd === seconds * 1000 ? '' : formatDateTime(clock.toWall(interval.end));
      const value = interval.value === null ? '' : valueMode.mode === 'raw' ? toDecimalString(new ExactDecimal(interval.value).div(constant)) : interval.value;
      triplets.push(stamp, flag, value);
      previousEnd = interval.end;
    }
    const name = block.meter?.name ?? block.usagePoint?.name ?? block.usagePoint?.mRID ?? '';
    for (const triplets of rows.values()) {
      const header = ['MEPMD01', '19970819', options.senderId, '', options.receiverId, '', options.createdAt, name, options.purpose ?? 'OK', commodity, unit.name, constant, formatInterval(seconds), String(triplets.length / 3)];
      lines.push([...header, ...triplets].join(','));
    }
  }
  return lines;
}

function unitOf(profile: Pick<CmepProfile, 'units'>, readingType: string, commodity: string, seconds: number): { name: string; kind: UnitKind } | undefined {
  for (const name of knownUnits(profile)) {
    const mapping = resolveUnit(profile, name);
    if (mapping === undefined || mapping.kind === 'register') continue;
    if (readingTypeOf(mapping, { commodity, intervalSeconds: seconds }) === readingType) return { name, kind: mapping.kind };
  }
  return undefined;
}
