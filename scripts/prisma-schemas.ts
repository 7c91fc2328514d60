// Writes one schema.prisma per provider from prisma/models.prisma.
// `--check` fails (exit 1) instead of writing when a generated schema is out of date.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const providers = ["sqlite", "postgres"] as const;
export type Provider = (typeof providers)[number];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// SQLite's client is the default @prisma/client (Shopify's session storage imports that
// package); PostgreSQL's is generated beside it and loaded through the "#prisma/postgres" import.
function header(provider: Provider): string {
  const datasourceProvider = provider === "postgres" ? "postgresql" : "sqlite";
  return `// Generated from prisma/models.prisma by scripts/prisma-schemas.ts: do not edit.

generator client {
  provider   = "prisma-client-js"
  engineType = "client"
${provider === "postgres" ? '  output     = "../generated/postgres"\n' : ""}}

datasource db {
  provider = "${datasourceProvider}"
  url      = env("DATABASE_URL")
}

`;
}

export function schemaPath(provider: Provider): string {
  return join(root, "prisma", provider, "schema.prisma");
}

export function renderSchema(provider: Provider): string {
  return header(provider) + readFileSync(join(root, "prisma", "models.prisma"), "utf8");
}

function main() {
  const check = process.argv.includes("--check");
  let stale = false;
  for (const provider of providers) {
    const path = schemaPath(provider);
    const wanted = renderSchema(provider);
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (current === wanted) continue;
    if (check) {
      console.error(`${path} is out of date with prisma/models.prisma: run npm run db:schemas`);
      stale = true;
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, wanted);
      console.log(`wrote ${path}`);
    }
  }
  if (stale) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
