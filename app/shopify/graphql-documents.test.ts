// Every GraphQL document the app sends validates against Shopify's pinned 2026-10 schema.
// Documents are template literals that start with `#graphql` (Admin) or `#graphql:storefront`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, validate } from "graphql";
import { shopifySchema } from "../../test/dev-store/schemas";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const documents = sourceFiles(join(process.cwd(), "app")).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/`\s*(#graphql(?::(storefront))?\b[\s\S]*?)`/g)].map((m) => ({
    file: relative(process.cwd(), file),
    api: m[2] === "storefront" ? ("storefront" as const) : ("admin" as const),
    source: m[1],
  })),
);

describe("GraphQL documents in app/", () => {
  it("are found", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(documents.map((d) => [`${d.file} (${d.api}) ${d.source.match(/(query|mutation)\s+(\w+)/)?.[2] ?? ""}`, d]))("%s validates", (_name, d) => {
    expect(d.source).not.toContain("${"); // no interpolation: documents are static
    const errors = validate(shopifySchema(d.api), parse(d.source));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("the check catches a document that does not validate", () => {
    const errors = validate(shopifySchema("admin"), parse(`#graphql\n query { shop { name inventoryHeld } }`));
    expect(errors[0].message).toContain('Cannot query field "inventoryHeld"');
  });
});
