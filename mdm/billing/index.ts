/**
 * Billing determinants of the meter data core: for a usage point and a bill period, the totals of
 * its ReadingTypes, TOU buckets, max demand, power factor and the share of estimated and missing
 * data, from interval days and register reads across meter exchanges; configured by TOU calendars,
 * holiday calendars and billing profiles, answered over the bus. Re-exports only.
 */
export * from './config.js';
export * from './reading-type-plan.js';
export * from './calendar.js';
export * from './interval-series.js';
export * from './demand.js';
export * from './register-consumption.js';
export * from './determinants.js';
export * from './period.js';
export * from './config-store.js';
export * from './billing-data.js';
export * from './compute.js';
export * from './consumer.js';
