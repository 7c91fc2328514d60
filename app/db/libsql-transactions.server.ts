// libsql's local client opens a new SQLite connection for every transaction and never closes
// it: each Prisma interactive transaction leaked a file descriptor (20,000 of them end the
// process). Prisma's libsql adapter already serialises every statement and holds its lock for
// a transaction's whole life, so a transaction can run on the client's own connection instead:
// BEGIN … COMMIT, with no connection opened or lost. See docs/decisions/002.
import type { Client, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";

const BEGIN: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", read: "BEGIN DEFERRED", deferred: "BEGIN DEFERRED" };

export function transactionsOnOwnConnection(client: Client): Client {
  const transaction = async (mode: TransactionMode = "write"): Promise<Transaction> => {
    await client.execute(BEGIN[mode]);
    let open = true;
    const end = async (sql: "COMMIT" | "ROLLBACK") => {
      if (!open) return;
      try {
        await client.execute(sql);
      } catch (error) {
        // A COMMIT that failed (another process holding the file: SQLITE_BUSY) leaves SQLite inside
        // the transaction, holding its lock: every later write, here and in other processes, would
        // then be locked out. Roll it back so the connection is free again, and report the failure.
        if (sql === "COMMIT") await client.execute("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        open = false;
      }
    };
    const tx = {
      execute: (stmt: InStatement) => client.execute(stmt),
      async batch(stmts: InStatement[]): Promise<ResultSet[]> {
        const results: ResultSet[] = [];
        for (const stmt of stmts) results.push(await client.execute(stmt));
        return results;
      },
      executeMultiple: (sql: string) => client.executeMultiple(sql),
      commit: () => end("COMMIT"),
      rollback: () => end("ROLLBACK"),
      close: () => void end("ROLLBACK").catch(() => {}),
      get closed() {
        return !open;
      },
    };
    return tx as unknown as Transaction;
  };
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "transaction") return transaction;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
