/**
 * The estimation configuration: which methods fill the intervals VEE left missing, in which order,
 * per rate class or usage point and date-effective like the VEE rules it sits beside (a rule set's
 * `estimation` list, mdm/vee/config.ts), and the class load profiles the class-profile method
 * scales. Parsed once at the edge (zod); inside, the parsed types are trusted.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../../canonical/decimal.js';
import { LocalDateSchema } from '../../canonical/time.js';

export const LinearMethodSchema = z.strictObject({
  method: z.literal('linear'),
  /** Longest run of missing intervals interpolated between its two actual neighbours (4 = 1 h of 15-min data). */
  maxGapIntervals: z.number().int().positive().default(4),
});

export const LikeDaysMethodSchema = z.strictObject({
  method: z.literal('like-days'),
  /** How far back like days are looked for. */
  weeks: z.number().int().min(1).max(52).default(4),
  /** Like days that must have an actual value at the interval's local time, or the interval is left to the next method. */
  minDays: z.number().int().positive().default(2),
  /**
   * `day-of-week`: a Tuesday is estimated from earlier Tuesdays; `weekday-weekend`: from any
   * earlier Monday–Friday, Saturdays from Saturdays, Sundays from Sundays. Either way a holiday
   * counts as a Sunday, and a holiday is never a like day of an ordinary day.
   */
  dayTypes: z.enum(['day-of-week', 'weekday-weekend']).default('day-of-week'),
  /** A holiday calendar by name: built-in (`us-federal`, `none`) or stored with the billing configuration. */
  holidayCalendar: z.string().min(1).default('none'),
});

export const ClassProfileMethodSchema = z.strictObject({
  method: z.literal('class-profile'),
  /** The register channel whose reads bracket the gap; by default the interval channel's bulk-quantity twin. */
  registerReadingType: z.string().min(1).optional(),
  /** Register unit → interval unit (the calculation constant of cmep.md §12). */
  registerMultiplier: DecimalStringSchema.refine((text) => !text.startsWith('-') && !/^0(\.0+)?$/.test(text), { error: 'expected a positive decimal' }).default('1'),
  /** Holidays take the profile's Sunday shape. */
  holidayCalendar: z.string().min(1).default('none'),
});

export const EstimationMethodSchema = z.discriminatedUnion('method', [LinearMethodSchema, LikeDaysMethodSchema, ClassProfileMethodSchema]);
export type EstimationMethod = z.infer<typeof EstimationMethodSchema>;
export type MethodOf<N extends EstimationMethod['method']> = Extract<EstimationMethod, { method: N }>;

export const EstimationPolicySchema = z
  .strictObject({
    effectiveFrom: LocalDateSchema,
    /** Exclusive; absent means open-ended. */
    effectiveTo: LocalDateSchema.optional(),
    /** false in a usage-point or rate-class set switches estimation off where a wider set has it. */
    enabled: z.boolean().default(true),
    /** Tried in this order; what one method cannot fill falls to the next. */
    methods: z.array(EstimationMethodSchema).min(1),
    /**
     * Also replace actual values that failed a rule asking for estimation (spike, high/low).
     * Off by default: a replaced value comes back with every re-delivery of the original reading,
     * while a missing one does not.
     */
    replaceFailedValues: z.boolean().default(false),
    /**
     * An interval is estimated only once it ended this many hours ago: head-ends keep retrying
     * collection for about a day, and an estimate written before the late reading arrives only
     * adds a version. Intervals still too recent at import are estimated by the sweep later.
     */
    minAgeHours: z.number().nonnegative().default(24),
    /** Decimal places of an estimated value. */
    decimalPlaces: z.number().int().min(0).max(9).default(4),
  })
  .refine((policy) => new Set(policy.methods.map((method) => method.method)).size === policy.methods.length, { error: 'each method may appear once' });
export type EstimationPolicy = z.infer<typeof EstimationPolicySchema>;

/** Relative weights over the local day: 24 hourly, 48 half-hourly or 96 quarter-hourly values. */
const DayShapeSchema = z
  .array(z.number().nonnegative())
  .refine((weights) => weights.length === 24 || weights.length === 48 || weights.length === 96, { error: 'expected 24, 48 or 96 weights' });

/** A rate class's load research profile: the shape of a typical day, per day type. Holidays use `sunday`. */
export const ClassProfileSchema = z.strictObject({
  rateClass: z.string().min(1),
  weekday: DayShapeSchema,
  saturday: DayShapeSchema,
  sunday: DayShapeSchema,
});
export type ClassProfile = z.infer<typeof ClassProfileSchema>;
