/**
 * Interval data export of the meter data core: the current days of a population of usage points
 * over local days, raw or multiplied by the meter's multiplier, rolled up to coarser intervals,
 * filtered by quality, streamed in bounded batches (interval-export.ts). Formats such as CMEP
 * MEPMD01 are written by the hub from these series. Re-exports only.
 */
export * from './day-export.js';
export * from './export-data.js';
export * from './interval-export.js';
export * from './meter-multiplier.js';
export * from './roll-up.js';
