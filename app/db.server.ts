// The data layer's front door: the process's one Prisma client (the default export) and what
// the hot paths need from under it. The mechanics (drivers, statement cache, group commit,
// batching, errors) live in app/db/. See docs/decisions/002-prisma-two-providers-no-engine-download.md.
import { databaseConfig } from "./config.server";
import { createDb, type Db } from "./db/client.server";
import { databaseProvider, type DatabaseProvider } from "./db/database-url";

export { createDb, postgresPool, sqliteConnection, sqliteStatementCacheStats, sqliteWriteTransaction } from "./db/client.server";
export type { Db, Prisma, SqliteExecute, Tx } from "./db/client.server";
export { sharedSqliteGroupCommit } from "./db/sqlite-group-commit.server";
export { isUniqueViolation } from "./db/errors.server";

function databaseUrl(): string {
  return databaseConfig().DATABASE_URL;
}

export function currentDatabaseProvider(): DatabaseProvider {
  return databaseProvider(databaseUrl());
}

declare global {
  var __holdfastDb: Db | undefined;
}

// One client per process; kept on globalThis so dev-server rebuilds do not open new pools.
const db: Db = globalThis.__holdfastDb ?? createDb(databaseUrl());
if (databaseConfig().NODE_ENV === "development") globalThis.__holdfastDb = db;

export default db;
