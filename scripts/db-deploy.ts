// Applies the checked-in migrations for whichever database DATABASE_URL names; on PostgreSQL
// the database is created first when it does not exist. `npm run db:deploy`.
import { fileURLToPath } from "node:url";
import pg from "pg";
import { databaseProvider, pgConnectionConfig, redactUrl } from "../app/db/database-url";
import { prisma } from "./prisma-cli";

export async function ensurePostgresDatabase(url: string) {
  const cfg = pgConnectionConfig(url);
  const admin = new pg.Client({ ...cfg, database: "postgres" });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [cfg.database]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${cfg.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

export async function deployMigrations(url: string, opts: { quiet?: boolean } = {}) {
  if (databaseProvider(url) === "postgres") await ensurePostgresDatabase(url);
  const result = prisma(["migrate", "deploy"], url, { capture: true });
  if (result.status !== 0) throw new Error(`prisma migrate deploy failed on ${redactUrl(url)}:\n${result.stdout}\n${result.stderr}`);
  if (!opts.quiet) console.log(result.stdout.trim().split("\n").slice(-1)[0]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await deployMigrations(process.env.DATABASE_URL ?? "file:./prisma/dev.db");
}
