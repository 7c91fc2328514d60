// Group commit for SQLite: writes that arrive while a commit is in progress share the next
// transaction, so a burst of N writes costs one commit (one WAL sync) instead of N. On this
// machine a commit is ~90% of an autocommit UPDATE's cost (measured: 287 µs autocommit vs 27 µs
// inside a shared transaction). See docs/decisions/007-hold-ledger.md.
//
// Each write runs inside its own savepoint (unless it is a single statement, which SQLite undoes
// by itself): a write that throws is rolled back alone and its caller gets the error, while the
// others in the batch commit. A caller hears its answer only
// after the commit. Nobody waits for a timer: the first write runs at once, and the ones that
// arrive meanwhile form the next batch.
import type { Db, SqliteExecute } from "./client.server";
import { sqliteWriteTransaction } from "./client.server";
import { batchesOf } from "./batches.server";

interface Pending {
  work: (execute: SqliteExecute) => Promise<unknown>;
  savepoint: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createSqliteGroupCommit(client: Db, maxBatch = 64) {
  async function runBatch(batch: Pending[]) {
    let outcomes: Outcome[];
    try {
      outcomes = await sqliteWriteTransaction(client, async (execute) => {
        const results: Outcome[] = [];
        for (const pending of batch) {
          if (pending.savepoint) await execute("SAVEPOINT group_commit_write", []);
          try {
            results.push({ ok: true, value: await pending.work(execute) });
          } catch (error) {
            if (pending.savepoint) await execute("ROLLBACK TO group_commit_write", []);
            results.push({ ok: false, error });
          }
          if (pending.savepoint) await execute("RELEASE group_commit_write", []);
        }
        return results;
      });
    } catch (error) {
      // BEGIN, a savepoint or COMMIT failed: nothing was written, and every writer hears it.
      for (const p of batch) p.reject(error);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i].resolve(o.value) : batch[i].reject(o.error)));
  }

  const enqueue = batchesOf(runBatch, maxBatch);

  /**
   * Runs `work` in a shared write transaction; resolves once that transaction has committed.
   * `singleWrite`: the work writes with at most one statement, which SQLite undoes by itself when
   * it fails, so it needs no savepoint (three statements fewer on the hot path).
   */
  return function inGroupCommit<T>(work: (execute: SqliteExecute) => Promise<T>, options: { singleWrite?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      enqueue({ work, savepoint: !options.singleWrite, resolve: resolve as (v: unknown) => void, reject });
    });
  };
}

const shared = new WeakMap<Db, ReturnType<typeof createSqliteGroupCommit>>();

/** The process's group commit for a client: every hot-path writer (holds, the saga log) joins the same batches. */
export function sharedSqliteGroupCommit(client: Db) {
  let groupCommit = shared.get(client);
  if (!groupCommit) shared.set(client, (groupCommit = createSqliteGroupCommit(client)));
  return groupCommit;
}
