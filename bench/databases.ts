// The benches' per-database scaffolding: a throwaway SQLite file and a throwaway PostgreSQL
// database, each migrated, a bench script run against it in its own process (production mode),
// and its last printed line parsed as JSON. BENCH_DATABASES=sqlite (or postgres) runs one only.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { deployMigrations } from "../scripts/db-deploy";
import { pgConnectionConfig } from "../app/db/database-url";

function run(script: string, url: string) {
  const child = spawnSync("tsx", [script], { env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production" }, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`bench run failed on ${url.split(":")[0]}:\n${child.stderr.slice(-4000)}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!);
}

export async function onEachDatabase(script: string, name: string): Promise<Record<string, unknown>> {
  const only = process.env.BENCH_DATABASES;
  const results: Record<string, unknown> = {};
  if (only !== "postgres") {
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    try {
      const sqlite = `file:${join(dir, "bench.db")}`;
      await deployMigrations(sqlite, { quiet: true });
      results.sqlite = run(script, sqlite);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only !== "sqlite") {
    const server = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    const database = `${name.replace(/-/g, "_")}_${process.pid}`;
    const url = Object.assign(new URL(server), { pathname: `/${database}` }).toString();
    try {
      await deployMigrations(url, { quiet: true });
      results.postgres = run(script, url);
    } finally {
      const admin = new pg.Client({ ...pgConnectionConfig(server), database: "postgres" });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    }
  }
  return results;
}
