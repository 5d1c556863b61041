/**
 * Statements sent one after another on a transaction's connection while the caller goes on
 * computing: a large import builds the next rows and ledger entries while the database writes
 * the last ones. The first failure is kept and thrown by `drain`; after it (or `stop`), no
 * statement starts, so nothing queued can run once the transaction has rolled back.
 */
export class StatementQueue {
  #tail: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | null = null;
  #stopped = false;

  push(statement: () => Promise<unknown>): void {
    this.#tail = this.#tail.then(async () => {
      if (this.#stopped || this.#failure) return;
      try {
        await statement();
      } catch (error) {
        this.#failure = { error };
      }
    });
  }

  /** Waits for every queued statement; throws the first failure. */
  async drain(): Promise<void> {
    await this.#tail;
    if (this.#failure) throw this.#failure.error;
  }

  /**
   * Starts nothing more and waits for the statement running, if any. Returns the first failure,
   * which is the cause when later statements then failed only because the transaction was aborted.
   */
  async stop(): Promise<{ error: unknown } | null> {
    this.#stopped = true;
    await this.#tail;
    return this.#failure;
  }
}
