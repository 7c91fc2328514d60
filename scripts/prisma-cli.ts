// Runs the Prisma CLI for one provider with the right DATABASE_URL.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Provider } from "./prisma-schemas";

/** A database URL the migration tooling can use for a provider when it only needs a shadow DB. */
export function toolingUrl(provider: Provider): string {
  if (provider === "sqlite") return `file:${join(mkdtempSync(join(tmpdir(), "holdfast-")), "tooling.db")}`;
  return process.env.POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function prisma(args: string[], databaseUrl: string, opts: { capture?: boolean } = {}) {
  const result = spawnSync("prisma", args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    encoding: "utf8",
    stdio: opts.capture ? ["ignore", "pipe", "pipe"] : "inherit",
    shell: false,
  });
  if (result.error) throw result.error;
  return result;
}
