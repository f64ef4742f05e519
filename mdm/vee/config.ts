/**
 * The VEE configuration, the one place a rule's options are named and documented (STYLE.md:
 * one config spec per component). Rule sets apply to every usage point (`default`), to a rate
 * class, or to one usage point; each rule is date-effective and ordered. Parsed once at the edge
 * (zod); inside, the parsed types are trusted.
 */
import { z } from 'zod';
import { DecimalStringSchema } from '../../canonical/decimal.js';
import { MridSchema } from '../../canonical/model/identity.js';
import { LocalDateSchema } from '../../canonical/time.js';
import { ClassProfileSchema, EstimationPolicySchema } from '../estimation/config.js';

const SeveritySchema = z.enum(['info', 'warning', 'error']);

/** Fields every rule has. */
const ruleBase = {
  /** Rules run in ascending order; ties run by rule name so a result never depends on file order. */
  order: z.number().int().nonnegative(),
  /** First local date the rule applies on (inclusive). */
  effectiveFrom: LocalDateSchema,
  /** First local date it no longer applies on (exclusive); absent means open-ended. */
  effectiveTo: LocalDateSchema.optional(),
  /** false in a usage-point or rate-class set switches off the rule a wider set would apply. */
  enabled: z.boolean().default(true),
  severity: SeveritySchema.optional(),
};

const NonNegativeDecimal = DecimalStringSchema.refine((text) => !text.startsWith('-'), { error: 'expected a non-negative decimal' });
const PositiveDecimal = DecimalStringSchema.refine((text) => !text.startsWith('-') && !/^0(\.0+)?$/.test(text), {
  error: 'expected a positive decimal',
});

export const GapsRuleSchema = z.strictObject({
  rule: z.literal('gaps'),
  ...ruleBase,
  /** A run of missing intervals shorter than this is still flagged per interval but raises no exception. */
  minRunForException: z.number().int().positive().default(1),
});

export const SpikeRuleSchema = z.strictObject({
  rule: z.literal('spike'),
  ...ruleBase,
  /** A value above factor × like-day median fails. */
  factor: PositiveDecimal.default('5'),
  /** Like days (same weekday, earlier weeks) that must have a value at that time of day. */
  minHistoryDays: z.number().int().positive().default(3),
  /** The median is raised to this floor, so a near-zero history does not flag every small load. */
  medianFloor: NonNegativeDecimal.default('0'),
});

export const HighLowRuleSchema = z
  .strictObject({
    rule: z.literal('high-low'),
    ...ruleBase,
    /** A value strictly above `high` fails; equal to it passes. */
    high: DecimalStringSchema.optional(),
    /** A value strictly below `low` fails; equal to it passes. */
    low: DecimalStringSchema.optional(),
  })
  .refine((rule) => rule.high !== undefined || rule.low !== undefined, { error: 'high-low needs high, low or both' });

export const ZeroConsumptionRuleSchema = z.strictObject({
  rule: z.literal('zero-consumption'),
  ...ruleBase,
  /** Consecutive zero days that raise the exception (on the Nth day and each later one). */
  days: z.number().int().positive().default(3),
});

export const ReverseFlowRuleSchema = z.strictObject({
  rule: z.literal('reverse-flow'),
  ...ruleBase,
});

export const SumCheckRuleSchema = z.strictObject({
  rule: z.literal('sum-check'),
  ...ruleBase,
  /** Allowed |Σ intervals − register delta × constant|, in the interval unit. */
  toleranceAbsolute: NonNegativeDecimal.default('0'),
  /** Allowed difference as a percentage of the register delta; the larger allowance wins. */
  tolerancePercent: NonNegativeDecimal.default('0'),
  /** The calculation constant of cmep.md §12 (register unit → interval unit). */
  registerMultiplier: PositiveDecimal.default('1'),
});

export const ConflictingDuplicatesRuleSchema = z.strictObject({
  rule: z.literal('conflicting-duplicates'),
  ...ruleBase,
});

export const StaleMeterRuleSchema = z.strictObject({
  rule: z.literal('stale-meter'),
  ...ruleBase,
  /** No data for this many hours or more is stale: 72 (3 days) or 120 (5 days) are usual. */
  hours: z.number().positive().default(72),
});

export const ProlongedEstimationRuleSchema = z.strictObject({
  rule: z.literal('prolonged-estimation'),
  ...ruleBase,
  /** More than this many consecutive estimated days raise the exception. */
  days: z.number().int().positive().default(3),
});

export const VeeRuleSchema = z.discriminatedUnion('rule', [
  GapsRuleSchema,
  SpikeRuleSchema,
  HighLowRuleSchema,
  ZeroConsumptionRuleSchema,
  ReverseFlowRuleSchema,
  SumCheckRuleSchema,
  ConflictingDuplicatesRuleSchema,
  StaleMeterRuleSchema,
  ProlongedEstimationRuleSchema,
]);
export type VeeRule = z.infer<typeof VeeRuleSchema>;
export type RuleOf<N extends VeeRule['rule']> = Extract<VeeRule, { rule: N }>;

export const RuleScopeSchema = z.union([
  z.strictObject({ default: z.literal(true) }),
  z.strictObject({ rateClass: z.string().min(1) }),
  z.strictObject({ usagePoint: MridSchema }),
]);
export type RuleScope = z.infer<typeof RuleScopeSchema>;

interface Dated {
  readonly effectiveFrom: string;
  readonly effectiveTo?: string | undefined;
}

function overlaps(a: Dated, b: Dated): boolean {
  // Local dates in YYYY-MM-DD compare correctly as strings.
  const aEndsAfterBStarts = a.effectiveTo === undefined || a.effectiveTo > b.effectiveFrom;
  const bEndsAfterAStarts = b.effectiveTo === undefined || b.effectiveTo > a.effectiveFrom;
  return aEndsAfterBStarts && bEndsAfterAStarts;
}

export const RuleSetSchema = z
  .strictObject({
    appliesTo: RuleScopeSchema,
    rules: z.array(VeeRuleSchema),
    /** How intervals VEE leaves missing are estimated (mdm/estimation), date-effective; absent: as the wider scope says. */
    estimation: z.array(EstimationPolicySchema).optional(),
  })
  .superRefine((set, context) => {
    (set.estimation ?? []).forEach((policy, position) => {
      if (policy.effectiveTo !== undefined && policy.effectiveTo <= policy.effectiveFrom) {
        context.addIssue({ code: 'custom', message: 'effectiveTo must be after effectiveFrom', path: ['estimation', position, 'effectiveTo'] });
      }
      const clash = (set.estimation ?? []).findIndex((other, index) => index < position && overlaps(other, policy));
      if (clash >= 0) context.addIssue({ code: 'custom', message: `overlaps the dates of estimation[${clash}]`, path: ['estimation', position, 'effectiveFrom'] });
    });
    set.rules.forEach((rule, position) => {
      if (rule.effectiveTo !== undefined && rule.effectiveTo <= rule.effectiveFrom) {
        context.addIssue({ code: 'custom', message: 'effectiveTo must be after effectiveFrom', path: ['rules', position, 'effectiveTo'] });
      }
      // Two versions of one rule in force on the same day would make the choice arbitrary.
      const clash = set.rules.findIndex((other, index) => index < position && other.rule === rule.rule && overlaps(other, rule));
      if (clash >= 0) {
        context.addIssue({ code: 'custom', message: `${rule.rule} overlaps the dates of rules[${clash}]`, path: ['rules', position, 'effectiveFrom'] });
      }
    });
  });
export type RuleSet = z.infer<typeof RuleSetSchema>;

export const VeeConfigSchema = z
  .strictObject({
    ruleSets: z.array(RuleSetSchema),
    /** Load research profiles by rate class, for the class-profile estimation method. */
    classProfiles: z.array(ClassProfileSchema).optional(),
  })
  .refine((config) => new Set((config.classProfiles ?? []).map((profile) => profile.rateClass)).size === (config.classProfiles ?? []).length, {
    error: 'classProfiles: one profile per rate class',
    path: ['classProfiles'],
  });
export type VeeConfig = z.infer<typeof VeeConfigSchema>;
