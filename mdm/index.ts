/**
 * The meter data core (DESIGN.md, Layout): master data (usage points, meters, names, the meter ↔
 * usage point assignment history) and the reading store (interval day vectors with versions,
 * register reads), on which VEE, estimation and billing determinants build, and the network
 * master data (feeders, transformers, the usage point → transformer links) that aggregation by
 * feeder and transformer needs, and the export of stored interval data. Re-exports only.
 */
export * from './sql.js';
export * from './master-data.js';
export * from './meter-assignment.js';
export * from './store/day-vector.js';
export * from './store/interval-store.js';
export * from './store/register-store.js';
export * from './ingest.js';
export * from './ingest-resolution.js';
export * from './ingest-placement.js';
export * from './consumers.js';
export * from './vee/index.js';
export * from './ingest-vee.js';
export * from './store/interval-day-batch.js';
export * from './transformer-links.js';
export * from './network.js';
export * from './network-events.js';
export * from './master-data-consumer.js';
export * from './aggregation.js';
export * from './billing/index.js';
export * from './estimation/index.js';
export * from './export/index.js';
