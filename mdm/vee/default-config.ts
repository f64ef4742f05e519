/**
 * The VEE configuration in force while none is stored (mdm.vee_config empty): one default rule
 * set, effective from 2000-01-01 so it covers any backfill, with checks that hold for any
 * interval channel and limits generous enough not to flood the queue before a utility tunes them:
 *
 * - gaps: every missing interval is 2.5.259, each run one exception;
 * - reverse-flow: negative intervals on a point that is not net metered;
 * - high-low: above 1000 (kWh per interval is beyond any service a 15-minute meter measures);
 * - spike: above 5 × the median of the same time on the last 4 same weekdays, 3 of them needed;
 * - zero-consumption: 3 consecutive zero days;
 * - stale-meter: the newest data at the point is 72 h or more older than the validation.
 *
 * Missing intervals are then estimated: runs of up to 4 intervals by linear interpolation, the
 * rest from the same weekday of the last 4 weeks (2 of them needed, no holiday calendar), then by
 * class profile where the configuration has one for the point's rate class and register reads
 * bracket the gap. Failed actual values are kept, not replaced.
 *
 * Parsed through VeeConfigSchema like a stored one, so the defaults of each option apply here too.
 */
import { type VeeConfig, VeeConfigSchema } from './config.js';

const FROM = '2000-01-01';

export const DEFAULT_VEE_CONFIG: VeeConfig = VeeConfigSchema.parse({
  ruleSets: [
    {
      appliesTo: { default: true },
      rules: [
        { rule: 'gaps', order: 10, effectiveFrom: FROM },
        { rule: 'reverse-flow', order: 20, effectiveFrom: FROM },
        { rule: 'high-low', order: 30, effectiveFrom: FROM, high: '1000' },
        { rule: 'spike', order: 40, effectiveFrom: FROM, factor: '5', minHistoryDays: 3 },
        { rule: 'zero-consumption', order: 50, effectiveFrom: FROM, days: 3 },
        { rule: 'stale-meter', order: 60, effectiveFrom: FROM, hours: 72 },
      ],
      estimation: [
        {
          effectiveFrom: FROM,
          methods: [
            { method: 'linear', maxGapIntervals: 4 },
            { method: 'like-days', weeks: 4, minDays: 2 },
            { method: 'class-profile' },
          ],
        },
      ],
    },
  ],
});

/** Like-day weeks the spike rule is given (same weekday, the 4 weeks before the day). */
export const LIKE_DAY_WEEKS = 4;
