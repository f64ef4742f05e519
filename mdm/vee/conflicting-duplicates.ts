/**
 * Pure: duplicate intervals with conflicting values. The same (source, meter, channel, interval
 * end) arrives in several overlapping files (cmep.md §11); equal values are a harmless re-send,
 * different values mean two deliveries disagree. The store keeps the newest, but which is right
 * is for a person to decide, so the interval is suspect (2.5.258) and marked for review, not for
 * estimation.
 */
import { parseDecimal } from '../../canonical/decimal.js';
import { QualityCodes } from '../../canonical/quality.js';
import { instantToMillis } from '../../canonical/time.js';
import type { RuleOf } from './config.js';
import { intervalCountOf, type VeeDay } from './day.js';
import { spanException, type IntervalFailure, type RuleFindings } from './finding.js';

/** One delivery of one interval, as ingest received it (before the store merged it). */
export interface IntervalReceipt {
  readonly intervalStart: string;
  readonly value: string;
  /** Where it came from, e.g. the file's creation stamp; shown in the message. */
  readonly source: string;
}

export interface ConflictingDuplicatesInput {
  readonly day: VeeDay;
  readonly receipts: readonly IntervalReceipt[];
}

export function checkConflictingDuplicates(
  input: ConflictingDuplicatesInput,
  rule: Pick<RuleOf<'conflicting-duplicates'>, 'severity'>,
): RuleFindings {
  const { day } = input;
  const start = Date.parse(day.dayStart);
  const step = day.intervalSeconds * 1000;
  const count = intervalCountOf(day);
  const byIndex = new Map<number, IntervalReceipt[]>();
  for (const receipt of input.receipts) {
    const offset = instantToMillis(receipt.intervalStart, 'intervalStart') - start;
    const index = offset / step;
    // Receipts of other days or off the grid are not this day's business.
    if (!Number.isInteger(index) || index < 0 || index >= count) continue;
    byIndex.set(index, [...(byIndex.get(index) ?? []), receipt]);
  }
  const failures: IntervalFailure[] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const receipts = byIndex.get(index) ?? [];
    const first = receipts[0];
    if (first === undefined) continue;
    const reference = parseDecimal(first.value, 'receipt value');
    // '1.10' and '1.1' are the same reading; only a different number conflicts.
    if (receipts.every((receipt) => parseDecimal(receipt.value, 'receipt value').equals(reference))) continue;
    const listed = receipts.map((receipt) => `${receipt.value} (${receipt.source})`).join(', ');
    failures.push({
      localDate: day.localDate,
      index,
      rule: 'conflicting-duplicates',
      quality: QualityCodes.SUSPECT,
      action: 'review',
      message: `interval ${index} starting ${first.intervalStart} was delivered with conflicting values: ${listed}`,
    });
  }
  return {
    failures,
    exceptions: spanException(day, failures, 'conflicting-duplicates', rule.severity ?? 'warning', `${failures.length} interval(s) on ${day.localDate} delivered with conflicting values`),
  };
}

