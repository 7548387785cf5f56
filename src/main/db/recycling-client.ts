// A Client that replaces its connections after the database was busy.
//
// The `libsql` driver leaves a statement that failed with SQLITE_BUSY "in progress" on its
// connection (it is only finalised when garbage-collected). Until then every COMMIT on that
// connection fails with "cannot commit transaction - SQL statements in progress", and a read
// statement left so keeps an old snapshot. @libsql/client keeps such a connection in its pool,
// so one burst of contention from another process left Paddock failing every write, and reading
// stale data, for as long as the garbage collector took (over a minute, seen from outside).
// Here, a busy answer retires the whole client: calls already running finish on it, new calls
// get a fresh one, and the old one is closed once nothing uses it any more.
import type { Client, InArgs, InStatement, Replicated, ResultSet, Transaction, TransactionMode } from '@libsql/client';
import { isBusyError } from './errors';

interface Generation {
  client: Client;
  /** Calls and open transactions still using this client. */
  users: number;
  retired: boolean;
}

export class RecyclingClient implements Client {
  private current: Generation;
  private readonly retiring = new Set<Generation>();
  private isClosed = false;

  constructor(private readonly connect: () => Client) {
    this.current = { client: connect(), users: 0, retired: false };
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get protocol(): string {
    return this.current.client.protocol;
  }

  /** How many times the client was replaced (for tests and diagnostics). */
  recycled = 0;

  execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.use((c) => (typeof stmtOrSql === 'string' ? c.execute(stmtOrSql, args) : c.execute(stmtOrSql)));
  }

  batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<ResultSet[]> {
    return this.use((c) => c.batch(stmts, mode));
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.use((c) => c.migrate(stmts));
  }

  executeMultiple(sql: string): Promise<void> {
    return this.use((c) => c.executeMultiple(sql));
  }

  sync(): Promise<Replicated> {
    return this.use((c) => c.sync());
  }

  /** The transaction keeps its client in use until it is committed, rolled back or closed. */
  async transaction(mode?: TransactionMode): Promise<Transaction> {
    const gen = this.enter();
    let tx: Transaction;
    try {
      tx = await gen.client.transaction(mode);
    } catch (e) {
      this.leave(gen, e);
      throw e;
    }
    return this.trackTransaction(gen, tx);
  }

  reconnect(): void {
    this.current.client.reconnect();
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.current.client.close();
    for (const gen of this.retiring) gen.client.close();
    this.retiring.clear();
  }

  private async use<T>(run: (client: Client) => Promise<T>): Promise<T> {
    const gen = this.enter();
    try {
      const result = await run(gen.client);
      this.leave(gen);
      return result;
    } catch (e) {
      this.leave(gen, e);
      throw e;
    }
  }

  private enter(): Generation {
    const gen = this.current;
    gen.users++;
    return gen;
  }

  private leave(gen: Generation, error?: unknown): void {
    gen.users--;
    if (error !== undefined && isBusyError(error) && !this.isClosed) this.retire(gen);
    if (gen.retired && gen.users === 0 && this.retiring.delete(gen)) gen.client.close();
  }

  private retire(gen: Generation): void {
    if (gen.retired) return;
    gen.retired = true;
    this.retiring.add(gen);
    if (this.current === gen) {
      this.current = { client: this.connect(), users: 0, retired: false };
      this.recycled++;
    }
  }

  private trackTransaction(gen: Generation, tx: Transaction): Transaction {
    let done = false;
    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      this.leave(gen, error);
    };
    const watch = <T>(p: Promise<T>, ends: boolean): Promise<T> =>
      p.then(
        (v) => {
          if (ends) finish();
          return v;
        },
        (e: unknown) => {
          // A busy failure inside a transaction poisons its connection just the same.
          if (isBusyError(e) && !gen.retired && !this.isClosed) this.retire(gen);
          if (ends) finish(e);
          throw e;
        },
      );
    return {
      execute: (stmt: InStatement) => watch(tx.execute(stmt), false),
      batch: (stmts: InStatement[]) => watch(tx.batch(stmts), false),
      executeMultiple: (sql: string) => watch(tx.executeMultiple(sql), false),
      commit: () => watch(tx.commit(), true),
      rollback: () => watch(tx.rollback(), true),
      close: () => {
        tx.close();
        finish();
      },
      get closed() {
        return tx.closed;
      },
    };
  }
}
