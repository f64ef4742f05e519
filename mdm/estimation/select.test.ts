import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { USAGE_POINT, dayOf } from '../vee/__fixtures__/days.js';
import { VeeConfigSchema } from '../vee/config.js';
import { DEFAULT_VEE_CONFIG } from '../vee/default-config.js';
import { EstimationPolicySchema } from './config.js';
import { classProfileOf, estimationTargets, selectEstimationPolicy } from './select.js';

const flat = Array.from({ length: 24 }, () => 1);
const config = VeeConfigSchema.parse({
  ruleSets: [
    { appliesTo: { default: true }, rules: [], estimation: [{ effectiveFrom: '2024-01-01', methods: [{ method: 'linear' }] }] },
    {
      appliesTo: { rateClass: 'R2' },
      rules: [],
      estimation: [
        { effectiveFrom: '2024-01-01', effectiveTo: '2024-07-01', methods: [{ method: 'like-days' }] },
        { effectiveFrom: '2024-07-01', methods: [{ method: 'class-profile' }] },
      ],
    },
    { appliesTo: { usagePoint: USAGE_POINT }, rules: [], estimation: [{ effectiveFrom: '2024-01-01', enabled: false, methods: [{ method: 'linear' }] }] },
  ],
  classProfiles: [{ rateClass: 'R2', weekday: flat, saturday: flat, sunday: flat }],
});
const point = (rateClass?: string, mRID = '0190a0e1-0000-7000-8000-0000000000ff') => ({ mRID, rateClass, netMetered: false });

describe('selectEstimationPolicy', () => {
  it('takes the narrowest scope in force on the date, and a disabled policy switches estimation off', () => {
    expect(selectEstimationPolicy(config, point(), '2024-03-01')?.methods.map((method) => method.method)).toEqual(['linear']);
    expect(selectEstimationPolicy(config, point('R2'), '2024-06-30')?.methods.map((method) => method.method)).toEqual(['like-days']);
    expect(selectEstimationPolicy(config, point('R2'), '2024-07-01')?.methods.map((method) => method.method)).toEqual(['class-profile']);
    expect(selectEstimationPolicy(config, point('R2', USAGE_POINT), '2024-07-01')).toBeUndefined();
    expect(selectEstimationPolicy(config, point(), '2023-12-31')).toBeUndefined();
    expect(classProfileOf(config, 'R2')?.rateClass).toBe('R2');
    expect(classProfileOf(config, undefined)).toBeUndefined();
  });

  it('has a default policy: linear, then like days, then class profile', () => {
    expect(selectEstimationPolicy(DEFAULT_VEE_CONFIG, point(), '2024-03-01')).toMatchObject({ minAgeHours: 24, replaceFailedValues: false, methods: [{ method: 'linear' }, { method: 'like-days' }, { method: 'class-profile' }] });
  });

  it('refuses overlapping policies, a second profile for a rate class and a profile of the wrong length', () => {
    const twice = { effectiveFrom: '2024-01-01', methods: [{ method: 'linear' }] };
    expect(VeeConfigSchema.safeParse({ ruleSets: [{ appliesTo: { default: true }, rules: [], estimation: [twice, twice] }] }).success).toBe(false);
    const profile = { rateClass: 'R2', weekday: flat, saturday: flat, sunday: flat };
    expect(VeeConfigSchema.safeParse({ ruleSets: [], classProfiles: [profile, profile] }).success).toBe(false);
    expect(VeeConfigSchema.safeParse({ ruleSets: [], classProfiles: [{ ...profile, weekday: [1, 2, 3] }] }).success).toBe(false);
  });
});

describe('estimationTargets', () => {
  // 2024-06-12 in New York starts 04:00Z; interval 10 ends 06:45Z.
  const day = dayOf('2024-06-12', '0.5', { 10: null, 20: null }, { 15: [QualityCodes.SUSPECT], 30: [QualityCodes.ESTIMATED] });
  const policy = (input: object) => EstimationPolicySchema.parse({ effectiveFrom: '2024-01-01', methods: [{ method: 'linear' }], ...input });

  it('takes missing intervals that ended minAgeHours ago, and leaves the later ones pending', () => {
    const now = Date.parse('2024-06-12T07:00:00Z');
    expect(estimationTargets(day, [10, 15, 20, 30], policy({ minAgeHours: 0 }), now)).toEqual({ due: [10], pending: [20] });
    expect(estimationTargets(day, [10, 20], policy({ minAgeHours: 24 }), now + 86_400_000)).toEqual({ due: [10], pending: [20] });
  });

  it('replaces failed actual values only when the policy says so, and never re-estimates an estimate', () => {
    const later = Date.parse('2024-06-14T00:00:00Z');
    expect(estimationTargets(day, [10, 15, 30], policy({ replaceFailedValues: true }), later).due).toEqual([10, 15]);
  });
});
