// One source for the models, two providers, checked-in migrations for each: these fail
// when the generated schemas or the migrations drift from prisma/models.prisma.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { providers, renderSchema, schemaPath } from "./prisma-schemas";
import { prisma } from "./prisma-cli";
import { databaseProvider } from "../app/db/database-url";
import { inject } from "vitest";

const migrations = (provider: string) =>
  readdirSync(join("prisma", provider, "migrations"))
    .filter((d) => /^\d{14}_/.test(d))
    .sort();

describe("prisma schemas and migrations", () => {
  it.each(providers)("prisma/%s/schema.prisma is generated from prisma/models.prisma", (provider) => {
    expect(readFileSync(schemaPath(provider), "utf8")).toBe(renderSchema(provider));
  });

  it("both providers have the same migrations, in the same order", () => {
    expect(migrations("postgres")).toEqual(migrations("sqlite"));
  });

  // Each test pass checks its own provider: the SQLite pass SQLite, the PostgreSQL pass PostgreSQL.
  const provider = databaseProvider(inject("templateDatabaseUrl"));
  it(`the ${provider} migrations produce exactly the ${provider} schema`, () => {
    // Only a shadow database is used; on SQLite that is in memory, so the file stays empty.
    const url = provider === "postgres" ? process.env.TEST_DATABASE_URL! : `file:${join(mkdtempSync(join(tmpdir(), "drift-")), "drift.db")}`;
    const diff = prisma(
      ["migrate", "diff", "--from-migrations", join("prisma", provider, "migrations"), "--to-schema-datamodel", schemaPath(provider), "--exit-code"],
      url,
      { capture: true },
    );
    // --exit-code: 0 = no difference, 2 = difference, 1 = error.
    expect(diff.stderr + diff.stdout).not.toMatch(/error/i);
    expect(diff.status, diff.stdout).toBe(0);
  });
});
