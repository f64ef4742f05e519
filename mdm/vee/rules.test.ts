import { describe, expect, it } from 'vitest';
import { VeeConfigSchema } from './config.js';
import { selectRules } from './rules.js';
import { USAGE_POINT } from './__fixtures__/days.js';

const config = VeeConfigSchema.parse({
  ruleSets: [
    {
      appliesTo: { rateClass: 'RES' },
      rules: [
        { rule: 'high-low', order: 30, effectiveFrom: '2024-01-01', high: '10' },
        { rule: 'gaps', order: 10, effectiveFrom: '2024-01-01' },
        { rule: 'reverse-flow', order: 20, effectiveFrom: '2024-01-01' },
        { rule: 'spike', order: 40, effectiveFrom: '2024-06-13' },
        { rule: 'stale-meter', order: 50, effectiveFrom: '2024-01-01', effectiveTo: '2024-06-12' },
      ],
    },
    { appliesTo: { usagePoint: USAGE_POINT }, rules: [{ rule: 'high-low', order: 5, effectiveFrom: '2024-01-01', high: '50' }] },
    { appliesTo: { default: true }, rules: [{ rule: 'zero-consumption', order: 60, effectiveFrom: '2020-01-01' }] },
  ],
});

const point = { mRID: USAGE_POINT, rateClass: 'RES', netMetered: false };

describe('selectRules', () => {
  it('returns the effective rules in order; a rule effective tomorrow or ended yesterday does not apply', () => {
    const other = { ...point, mRID: '0190a0e1-0000-7000-8000-0000000000ff' };
    expect(selectRules(config, other, '2024-06-12').map((rule) => rule.rule)).toEqual(['gaps', 'reverse-flow', 'high-low', 'zero-consumption']);
    expect(selectRules(config, other, '2024-06-13').map((rule) => rule.rule)).toContain('spike');
    expect(selectRules(config, other, '2024-06-11').map((rule) => rule.rule)).toContain('stale-meter');
  });

  it('lets a usage-point rule replace the rate-class rule of the same name, and its order', () => {
    const rules = selectRules(config, point, '2024-06-12');
    expect(rules.map((rule) => rule.rule)).toEqual(['high-low', 'gaps', 'reverse-flow', 'zero-consumption']);
    expect(rules[0]).toMatchObject({ rule: 'high-low', high: '50' });
  });

  it('drops reverse flow for a net-metered point, and a rule switched off by an override', () => {
    const off = VeeConfigSchema.parse({
      ruleSets: [...config.ruleSets, { appliesTo: { usagePoint: USAGE_POINT }, rules: [{ rule: 'gaps', order: 1, effectiveFrom: '2024-01-01', enabled: false }] }],
    });
    const names = selectRules(off, { ...point, netMetered: true }, '2024-06-12').map((rule) => rule.rule);
    expect(names).not.toContain('reverse-flow');
    expect(names).not.toContain('gaps');
  });

  it('fills defaults and refuses overlapping versions of one rule or an inverted date range', () => {
    expect(VeeConfigSchema.parse({ ruleSets: [{ appliesTo: { default: true }, rules: [{ rule: 'stale-meter', order: 1, effectiveFrom: '2024-01-01' }] }] }).ruleSets[0]?.rules[0]).toMatchObject({ hours: 72, enabled: true });
    const overlapping = VeeConfigSchema.safeParse({
      ruleSets: [{ appliesTo: { default: true }, rules: [
        { rule: 'gaps', order: 1, effectiveFrom: '2024-01-01', effectiveTo: '2024-07-01' },
        { rule: 'gaps', order: 1, effectiveFrom: '2024-06-01' },
      ] }],
    });
    expect(overlapping.success).toBe(false);
    expect(VeeConfigSchema.safeParse({ ruleSets: [{ appliesTo: { default: true }, rules: [{ rule: 'gaps', order: 1, effectiveFrom: '2024-02-01', effectiveTo: '2024-01-01' }] }] }).success).toBe(false);
    expect(VeeConfigSchema.safeParse({ ruleSets: [{ appliesTo: { default: true }, rules: [{ rule: 'high-low', order: 1, effectiveFrom: '2024-01-01' }] }] }).success).toBe(false);
  });
});
