/**
 * The database layer: one interface over PostgreSQL (`pg`) and embedded PGlite, the same row
 * shapes on both, and the migration runner (DESIGN.md, Database).
 */
export type { Database, Queryable, QueryResult, Transaction } from './database.js';
export { openDatabase } from './open.js';
export { openPostgres, describePostgresUrl, type PostgresOptions } from './postgres.js';
export { openPglite, DEFAULT_PGLITE_DIR, IN_MEMORY, type PgliteOptions } from './pglite.js';
export { migrate, MODULES, type MigrationModule, type MigrationReport } from './migrate.js';
export { findPackageRoot } from './package-root.js';
