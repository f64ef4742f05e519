/**
 * The database interface: PostgreSQL through `pg` when DATABASE_URL is set, embedded PGlite
 * otherwise. Plain SQL with `$1` parameters; the same statements run on both (write SQL that
 * PostgreSQL 15 accepts).
 *
 * Both drivers return the same row shapes for the same SQL (see `row-shape.ts`): int8 and
 * numeric as strings, timestamptz as Date, date/timestamp/interval as PostgreSQL's text, json as
 * parsed values, bytea as Uint8Array. Pass JSON parameters as `JSON.stringify(value)` with a
 * `::jsonb` cast: `pg` turns a JS array parameter into a PostgreSQL array, not JSON.
 */

export interface QueryResult<Row> {
  rows: Row[];
  /** The count of the statement's command tag: rows inserted, updated, deleted or returned; 0 for DDL. Same on both drivers. */
  rowCount: number;
}

export interface Queryable {
  /** One statement (both drivers use the extended protocol; use `exec` for several). */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

/**
 * What `transaction` hands to its work. Added beside the original interface: migrations need
 * several statements inside one transaction. Only valid until the transaction ends.
 */
export interface Transaction extends Queryable {
  /** Runs several statements separated by semicolons, without parameters, inside this transaction. */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Inside `work`, use `tx` only: calling this database's `query`/`exec`/`transaction` there
   * throws (on PGlite it would deadlock, on PostgreSQL it would escape the transaction).
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Throws a TransientError when the database cannot be reached (used by /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
