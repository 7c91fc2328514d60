// Making a Prisma client: SQLite (libsql) by default, PostgreSQL (pg) when the URL is a
// postgres URL. Both clients come from the same models, so the SQLite
// client's type describes either. See docs/decisions/002-prisma-two-providers-no-engine-download.md.
import { PrismaClient as SqliteClient } from "@prisma/client";
import { PrismaClient as PostgresClient } from "#prisma/postgres";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import type { Client, Config } from "@libsql/client";
import { transactionsOnOwnConnection } from "./libsql-transactions.server";
import { createClientWithStatementCache, type CachedClient } from "./libsql-statement-cache.server";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { databaseProvider, pgConnectionConfig } from "./database-url";

export type Db = SqliteClient;
export type { Prisma } from "@prisma/client";

/** The client inside an interactive transaction (`db.$transaction(async (tx) => …)`). */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * libsql with transactions on the client's own connection (see libsql-transactions.server.ts)
 * and its prepared statements kept for reuse (libsql-statement-cache.server.ts).
 */
class PrismaLibSQLOwnConnection extends PrismaLibSQL {
  connection: Client | undefined;
  statementCache: CachedClient["cache"] | undefined;
  override createClient(config: Config) {
    const cached = createClientWithStatementCache(config);
    this.statementCache = cached?.cache;
    this.connection = transactionsOnOwnConnection(cached?.client ?? super.createClient(config));
    return this.connection;
  }
}

const sqliteAdapters = new WeakMap<Db, PrismaLibSQLOwnConnection>();
const postgresPools = new WeakMap<Db, pg.Pool>();

/** The libsql connection under a SQLite client, for statements outside Prisma (the hold bench's ceiling). */
export function sqliteConnection(client: Db): Client {
  const connection = sqliteAdapters.get(client)?.connection;
  if (!connection) throw new Error("sqliteConnection needs a SQLite client made by createDb, after its first query");
  return connection;
}

/** How often the SQLite connection reused a prepared statement (for tests and benches). */
export function sqliteStatementCacheStats(client: Db) {
  return sqliteAdapters.get(client)?.statementCache?.stats;
}

/**
 * The pg pool under a PostgreSQL client: Prisma's connections, for the hot paths' named prepared
 * statements (a hold, decision 007; the saga log's step write, decision 016), which skip
 * Prisma's per-query work and PostgreSQL's parsing. Not for anything else.
 */
export function postgresPool(client: Db): pg.Pool {
  const pool = postgresPools.get(client);
  if (!pool) throw new Error("postgresPool needs a PostgreSQL client made by createDb");
  return pool;
}

/** Runs statements directly on the SQLite connection, in a write transaction. */
export type SqliteExecute = (sql: string, args: (string | number | null)[]) => Promise<{ rows: Record<string, unknown>[]; rowsAffected: number }>;

/**
 * A write transaction on SQLite whose statements go straight to libsql: Prisma opens, commits
 * or rolls back the transaction and keeps every other query out meanwhile, and the hot path
 * skips Prisma's per-statement cost (~0.35 ms of a ~0.5 ms hold, measured). Only for hand-written
 * SQL on the hot paths (holds, decision 007; the saga log, decision 016).
 */
export async function sqliteWriteTransaction<T>(client: Db, work: (execute: SqliteExecute) => Promise<T>): Promise<T> {
  const adapter = sqliteAdapters.get(client);
  if (!adapter) throw new Error("sqliteWriteTransaction needs a SQLite client made by createDb");
  return client.$transaction(async () => {
    const connection = adapter.connection;
    if (!connection) throw new Error("the SQLite connection is not open");
    return work(async (sql, args) => {
      const result = await connection.execute({ sql, args });
      return { rows: result.rows as unknown as Record<string, unknown>[], rowsAffected: result.rowsAffected };
    });
  });
}

export function createDb(url: string): Db {
  if (databaseProvider(url) === "postgres") {
    const pool = new pg.Pool({ ...pgConnectionConfig(url), max: 10 });
    const client = new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), errorFormat: "minimal" }) as unknown as Db;
    postgresPools.set(client, pool);
    return client;
  }
  const adapter = new PrismaLibSQLOwnConnection({ url });
  const client = new SqliteClient({ adapter, errorFormat: "minimal" });
  sqliteAdapters.set(client, adapter);
  // Write-ahead logging: readers never wait for the writer, and a commit is one append. The
  // mode is stored in the database file; the adapter runs this before any other query.
  client.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch((error) => console.error(`SQLite WAL not enabled: ${(error as Error).message}`));
  return client;
}
