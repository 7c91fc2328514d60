// The Prisma client for this process: SQLite (libsql) by default, PostgreSQL (pg) when
// DATABASE_URL is a postgres URL. Both clients come from the same models, so the SQLite
// client's type describes either. See docs/decisions/002-prisma-two-providers-no-engine-download.md.
import { PrismaClient as SqliteClient } from "@prisma/client";
import { PrismaClient as PostgresClient } from "#prisma/postgres";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import type { Config } from "@libsql/client";
import { transactionsOnOwnConnection } from "./lib/libsql-transactions.server";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseProvider, pgConnectionConfig, type DatabaseProvider } from "./lib/database-url";

export type Db = SqliteClient;
export type { Prisma } from "@prisma/client";

/** libsql with transactions on the client's own connection (see libsql-transactions.server.ts). */
class PrismaLibSQLOwnConnection extends PrismaLibSQL {
  override createClient(config: Config) {
    return transactionsOnOwnConnection(super.createClient(config));
  }
}

export function createDb(url: string): Db {
  if (databaseProvider(url) === "postgres") {
    const client = new PostgresClient({ adapter: new PrismaPg({ ...pgConnectionConfig(url), max: 10 }), errorFormat: "minimal" });
    return client as unknown as Db;
  }
  const client = new SqliteClient({ adapter: new PrismaLibSQLOwnConnection({ url }), errorFormat: "minimal" });
  // Write-ahead logging: readers never wait for the writer, and a commit is one append. The
  // mode is stored in the database file; the adapter runs this before any other query.
  client.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch((error) => console.error(`SQLite WAL not enabled: ${(error as Error).message}`));
  return client;
}

export function currentDatabaseProvider(): DatabaseProvider {
  return databaseProvider(databaseUrl());
}

function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "file:./prisma/dev.db";
}

declare global {
  var __holdfastDb: Db | undefined;
}

// One client per process; kept on globalThis so dev-server rebuilds do not open new pools.
const db: Db = globalThis.__holdfastDb ?? createDb(databaseUrl());
if (process.env.NODE_ENV === "development") globalThis.__holdfastDb = db;

export default db;
