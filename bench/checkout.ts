// `npm run bench:checkout`: complete checkouts per second through the saga, and the same step
// actions called directly with no saga log (the baseline), on SQLite and PostgreSQL, in one
// run. The last line printed is one JSON object; the target is an overhead ratio ≤ 1.5.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { deployMigrations } from "../scripts/db-deploy";
import { pgConnectionConfig } from "../app/lib/database-url";

const results: Record<string, unknown> = {};

function run(url: string) {
  const child = spawnSync("tsx", ["bench/checkout-run.ts"], { env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production" }, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`bench run failed on ${url.split(":")[0]}:\n${child.stderr.slice(-4000)}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!);
}

// BENCH_DATABASES=sqlite (or postgres) measures one database only.
const only = process.env.BENCH_DATABASES;
const dir = mkdtempSync(join(tmpdir(), "bench-checkout-"));
try {
  const sqlite = `file:${join(dir, "bench.db")}`;
  if (only !== "postgres") {
    await deployMigrations(sqlite, { quiet: true });
    results.sqlite = run(sqlite);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const server = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `holdfast_bench_checkout_${process.pid}`;
const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
try {
  if (only !== "sqlite") {
    await deployMigrations(url, { quiet: true });
    results.postgres = run(url);
  }
} finally {
  const admin = new pg.Client({ ...pgConnectionConfig(server), database: "postgres" });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
console.log(JSON.stringify(results));
