/**
 * The database interface: PostgreSQL through `pg` when DATABASE_URL is set, embedded PGlite
 * otherwise. Plain SQL with `$1` parameters; the same statements run on both (write SQL that
 * PostgreSQL 15 accepts).
 */

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted (0 for a SELECT on PGlite). */
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Throws a TransientError when the database cannot be reached (used by /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
