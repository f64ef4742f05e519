/**
 * Catches the classic outbox/inbox mistake of using the database object instead of `tx` inside
 * `db.transaction(...)`. On PGlite (one connection, transactions run exclusively) that call would
 * wait for the transaction that waits for it: a silent deadlock. On PostgreSQL it would run on
 * another connection, outside the transaction, and break "state and events commit together".
 * Both drivers throw the same error instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface OpenTransaction {
  open: boolean;
}

export class TransactionGuard {
  private readonly scope = new AsyncLocalStorage<OpenTransaction>();

  constructor(private readonly databaseName: string) {}

  /** Throws when called from inside a still-open transaction of this database. */
  assertOutside(operation: string): void {
    if (this.scope.getStore()?.open === true) {
      throw new Error(
        `${this.databaseName}: ${operation}() called inside transaction() of the same database: use the tx argument ` +
          `(nested transactions are not supported)`,
      );
    }
  }

  /**
   * Runs `work` marked as inside a transaction. The mark is cleared when the transaction ends,
   * so timers or promises started inside it may use the database afterwards.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const marker: OpenTransaction = { open: true };
    try {
      return await this.scope.run(marker, work);
    } finally {
      marker.open = false;
    }
  }
}
