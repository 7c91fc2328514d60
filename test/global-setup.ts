// Builds the app (`npm run build`: `remix build` and the checkout page's script, as for production: the suite serves its route tree, and
// test/e2e/ runs the bundle itself), then migrates one template database per test run; each
// test file copies it (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL)
// instead of replaying the migrations.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { databaseProvider, pgConnectionConfig } from "../app/db/database-url";
import { deployMigrations } from "../scripts/db-deploy";

function buildApp() {
  const built = spawnSync("npm", ["run", "-s", "build"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NODE_ENV: "production" },
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stderr}`);
}

export default async function setup(project: TestProject) {
  buildApp();
  const server = process.env.TEST_DATABASE_URL;
  if (server && databaseProvider(server) === "postgres") {
    const name = `holdfast_template_${process.pid}_${Date.now()}`;
    const u = new URL(server);
    u.pathname = `/${name}`;
    await deployMigrations(u.toString(), { quiet: true });
    project.provide("templateDatabaseUrl", u.toString());
    return async () => {
      const admin = new pg.Client({ ...pgConnectionConfig(server), database: "postgres" });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "holdfast-template-"));
  const url = `file:${join(dir, "template.db")}`;
  await deployMigrations(url, { quiet: true });
  project.provide("templateDatabaseUrl", url);
  return async () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}
