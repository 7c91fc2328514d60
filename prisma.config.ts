// Prisma migrations with no native engine: the Wasm schema engine runs through the same
// driver adapters as the app (libsql for SQLite, pg for PostgreSQL). See
// docs/decisions/002-prisma-two-providers-no-engine-download.md.
import { defineConfig } from "prisma/config";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { databaseProvider, pgConnectionConfig } from "./app/db/database-url";

const url = process.env.DATABASE_URL ?? "file:./prisma/dev.db";
process.env.DATABASE_URL = url; // the schema's env("DATABASE_URL") must resolve
const provider = databaseProvider(url);

// The Wasm schema engine replays whole multi-statement migration scripts through
// executeRaw; libsql would run only the first statement. Route them through executeScript.
function multiStatementSafe<T extends object>(adapter: T): T {
  const a = adapter as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const executeRaw = a.executeRaw.bind(a);
  a.executeRaw = async (q: { sql: string; args: unknown[] }) => (q.args.length === 0 ? (await a.executeScript(q.sql), 0) : executeRaw(q));
  return adapter;
}

// PostgreSQL "char" (OID 18) and name (OID 19) are not mapped by @prisma/adapter-pg 6.19
// (prisma/orm#27403) and the schema engine's catalog queries return them: report them as text.
function pgCatalogTypesAsText<T extends object>(adapter: T): T {
  const a = adapter as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const performIO = a.performIO.bind(a);
  a.performIO = async (q: unknown) => {
    const res = await performIO(q);
    for (const r of Array.isArray(res) ? res : [res]) for (const f of r.fields ?? []) if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
    return res;
  };
  const startTransaction = a.startTransaction?.bind(a);
  if (startTransaction) a.startTransaction = async (...args: unknown[]) => pgCatalogTypesAsText(await startTransaction(...args));
  return adapter;
}

// adapter-pg splits migration scripts on every ";", which breaks function bodies
// (the StockLevel guard trigger). PostgreSQL runs a whole script in one simple query.
function wholeScripts<T extends object>(adapter: T): T {
  const a = adapter as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  a.executeScript = async (script: string) => {
    try {
      await a.client.query(script);
    } catch (error) {
      a.onError(error);
    }
  };
  return adapter;
}

function sqliteAdapter(): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaLibSQL({ url });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => multiStatementSafe(await factory.connect()),
    connectToShadowDb: async () => multiStatementSafe(await factory.connectToShadowDb()),
  };
}

function postgresAdapter(): SqlMigrationAwareDriverAdapterFactory {
  const cfg = pgConnectionConfig(url);
  const main = new PrismaPg(cfg);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => wholeScripts(pgCatalogTypesAsText(await main.connect())),
    // A throwaway shadow database; the adapter's own drops it before closing its pool and fails.
    async connectToShadowDb() {
      const name = `prisma_shadow_${process.pid}_${Date.now()}`;
      const admin = new pg.Client(cfg);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const adapter = wholeScripts(pgCatalogTypesAsText(await new PrismaPg({ ...cfg, database: name }).connect()));
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      };
      return adapter;
    },
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  async adapter() {
    return provider === "postgres" ? postgresAdapter() : sqliteAdapter();
  },
});
