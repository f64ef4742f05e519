/**
 * Pure: a stale meter, one that has sent nothing for `hours` or more (72 h or 5 days are usual).
 * The boundary is inclusive: exactly 72 h of silence is stale. Usage-point level, no interval
 * codes: there are no intervals to mark, which is the problem.
 */
import { instantToMillis } from '../../canonical/time.js';
import type { RuleOf } from './config.js';
import { NO_FINDINGS, type RuleFindings } from './finding.js';

export interface StaleMeterInput {
  /** End of the newest interval (or time of the newest register read) with a value; null: never. */
  readonly lastReadingAt: string | null;
  readonly now: string;
}

const HOUR_MILLIS = 3_600_000;

export function checkStaleMeter(input: StaleMeterInput, rule: Pick<RuleOf<'stale-meter'>, 'hours' | 'severity'>): RuleFindings {
  // A point that never reported has no silence to measure; commissioning checks own that case.
  if (input.lastReadingAt === null) return NO_FINDINGS;
  const last = instantToMillis(input.lastReadingAt, 'lastReadingAt');
  const now = instantToMillis(input.now, 'now');
  const silentMillis = now - last;
  if (silentMillis < rule.hours * HOUR_MILLIS) return NO_FINDINGS;
  return {
    failures: [],
    exceptions: [
      {
        rule: 'stale-meter',
        severity: rule.severity ?? 'warning',
        periodStart: input.lastReadingAt,
        periodEnd: input.now,
        message: `no data for ${silentMillis / HOUR_MILLIS} h since ${input.lastReadingAt} (limit ${rule.hours} h)`,
      },
    ],
  };
}
