/**
 * Pure: consumption from register reads across meter exchanges. A dial value belongs to one meter
 * (cim.md §7), so a usage point's consumption over a bill period is the sum, over every meter
 * that served it then (the assignment history), of that meter's advance inside its own part of
 * the period: the removed meter from the period start to its final read at the exchange, the new
 * meter from its initial read at the exchange to the period end. Each read counts once, under its
 * own meter: no double counting at the exchange instant.
 *
 * A meter's advance is the sum of the steps between its consecutive reads. A step down is a
 * rollover when the register's digit count is known (the meter's registers: a 5-digit dial wraps
 * from 99999 to 0, so the step gains 10^5); without a digit count the dial's advance cannot be
 * known, its reads count as missing and it adds nothing.
 *
 * The counts are of boundary reads: each meter part needs a read at its start and at its end. A
 * boundary without a read exactly there counts as missing (the advance then covers less than the
 * part), an estimated one (quality category 8) as estimated; a period no meter served has its two
 * boundaries missing.
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, toDecimalString } from '../../canonical/decimal.js';
import type { MeterReadSpan } from '../../canonical/model/billing-determinants.js';
import type { Register } from '../../canonical/model/meter.js';
import { hasQualityCategory, QualityCategory } from '../../canonical/quality.js';
import { emptyCounts, type StateCounts } from './interval-series.js';

/** One meter's service at the usage point (meter_assignment), with its registers. */
export interface MeterService {
  readonly meter: string;
  readonly validFrom: string;
  /** Exclusive; absent while the meter is in. */
  readonly validTo?: string;
  readonly registers: readonly Register[];
}

export interface RegisterReadInput {
  readonly meter: string;
  readonly readingType: string;
  /** '' when the source does not distinguish registers. */
  readonly register: string;
  readonly timeStamp: string;
  readonly value: string | null;
  readonly qualities: readonly string[];
}

export interface RegisterConsumption {
  readonly value: string;
  readonly meterReads: MeterReadSpan[];
  readonly counts: StateCounts;
}

interface TimedRead {
  readonly at: number;
  readonly read: RegisterReadInput;
}

/** The register a read came from, for its digit count: by name, else the only one of the ReadingType. */
function registerOf(service: MeterService, readingType: string, name: string): Register | undefined {
  const candidates = service.registers.filter((register) => register.readingType === readingType);
  if (name !== '') {
    const named = candidates.find((register) => register.name === name);
    if (named !== undefined) return named;
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}

function countBoundary(counts: StateCounts, read: TimedRead, boundary: number): void {
  if (read.at !== boundary) counts.missing++;
  else if (hasQualityCategory(read.read.qualities, QualityCategory.Estimated)) counts.estimated++;
  else counts.actual++;
}

/** The advance between consecutive reads, with rollovers; undefined when a step down cannot be explained. */
function advanceOf(reads: readonly TimedRead[], register: Register | undefined): { advance: Decimal; rollovers: number } | undefined {
  const modulus = register === undefined ? undefined : new ExactDecimal(10).pow(register.leftDigitCount);
  let advance = new ExactDecimal(0);
  let rollovers = 0;
  for (let index = 1; index < reads.length; index++) {
    let step = new ExactDecimal((reads[index] as TimedRead).read.value ?? '0').minus((reads[index - 1] as TimedRead).read.value ?? '0');
    if (step.isNegative() && !step.isZero()) {
      if (modulus === undefined) return undefined;
      step = step.plus(modulus);
      rollovers++;
    }
    advance = advance.plus(step);
  }
  return { advance, rollovers };
}

/** Consumption of one register ReadingType over [periodStart, periodEnd], summed over the meters that served. */
export function registerConsumption(
  readingType: string,
  period: { readonly start: string; readonly end: string },
  services: readonly MeterService[],
  reads: readonly RegisterReadInput[],
): RegisterConsumption {
  const periodStart = Date.parse(period.start);
  const periodEnd = Date.parse(period.end);
  const counts = emptyCounts();
  const meterReads: MeterReadSpan[] = [];
  let total = new ExactDecimal(0);
  const ordered = [...services].sort((a, b) => Date.parse(a.validFrom) - Date.parse(b.validFrom));
  let served = false;
  for (const service of ordered) {
    const from = Math.max(periodStart, Date.parse(service.validFrom));
    const to = Math.min(periodEnd, service.validTo === undefined ? Number.POSITIVE_INFINITY : Date.parse(service.validTo));
    if (from >= to) continue;
    served = true;
    const byRegister = new Map<string, TimedRead[]>();
    for (const read of reads) {
      const at = Date.parse(read.timeStamp);
      if (read.meter !== service.meter || read.readingType !== readingType || read.value === null || at < from || at > to) continue;
      const list = byRegister.get(read.register) ?? [];
      list.push({ at, read });
      byRegister.set(read.register, list);
    }
    if (byRegister.size === 0) {
      counts.missing += 2;
      continue;
    }
    for (const [name, list] of [...byRegister].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      list.sort((a, b) => a.at - b.at);
      const first = list[0] as TimedRead;
      const last = list[list.length - 1] as TimedRead;
      const advance = advanceOf(list, registerOf(service, readingType, name));
      if (advance === undefined) {
        counts.missing += 2;
        continue;
      }
      countBoundary(counts, first, from);
      countBoundary(counts, last, to);
      total = total.plus(advance.advance);
      meterReads.push({
        meter: service.meter,
        ...(name === '' ? {} : { register: name }),
        startTimeStamp: first.read.timeStamp,
        startValue: first.read.value ?? '0',
        endTimeStamp: last.read.timeStamp,
        endValue: last.read.value ?? '0',
        consumption: toDecimalString(advance.advance),
        rollovers: advance.rollovers,
      });
    }
  }
  // No meter served at all: nothing was read, which is missing data, not zero consumption.
  if (!served) counts.missing += 2;
  return { value: toDecimalString(total), meterReads, counts };
}
