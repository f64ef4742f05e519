/**
 * VEE, validation of interval data in the MDM core: a zod-configured, date-effective, ordered
 * set of rules per rate class or usage point (config.ts, rules.ts), one pure file per rule, and
 * runVee (validate.ts) folding their findings into CIM quality codes (cim.md §4), exceptions for
 * the `vee_exception.raised` event and the intervals left for estimation. Re-exports only.
 */
export * from './config.js';
export * from './rules.js';
export * from './finding.js';
export * from './day.js';
export * from './gaps.js';
export * from './spike.js';
export * from './high-low.js';
export * from './zero-consumption.js';
export * from './reverse-flow.js';
export * from './sum-vs-register.js';
export * from './conflicting-duplicates.js';
export * from './stale-meter.js';
export * from './prolonged-estimation.js';
export * from './validate.js';
export * from './assigned-codes.js';
export * from './default-config.js';
export * from './config-store.js';
export * from './exception-store.js';
export * from './exception-findings.js';
export * from './run-day.js';
