// A throwaway database per test file: a SQLite file in a temp folder by default, or a fresh
// database on the PostgreSQL server named by TEST_DATABASE_URL. Both are copies of the
// template that test/global-setup.ts migrated with `prisma migrate deploy`.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { databaseProvider, pgConnectionConfig } from "../app/db/database-url";

export interface TestDatabase {
  url: string;
  provider: "sqlite" | "postgres";
  drop(): Promise<void>;
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ ...pgConnectionConfig(url), database: "postgres" });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject("templateDatabaseUrl");
  if (databaseProvider(template) === "postgres") {
    const templateName = pgConnectionConfig(template).database;
    const name = `holdfast_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const u = new URL(template);
    u.pathname = `/${name}`;
    await withAdmin(template, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`));
    return {
      url: u.toString(),
      provider: "postgres",
      drop: () => withAdmin(template, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "holdfast-test-"));
  const file = join(dir, "test.db");
  copyFileSync(template.replace(/^file:/, ""), file);
  return { url: `file:${file}`, provider: "sqlite", drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
