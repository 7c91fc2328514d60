// Shopify's official 2026-10 schemas, pinned in test/shopify-schemas (see SHA256SUMS and
// scripts/extract-shopify-schemas.ts). Built once per process: the Admin schema is large.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClientSchema, type GraphQLSchema } from "graphql";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "shopify-schemas");
const files = {
  admin: "admin-2026-10.json.gz",
  storefront: "storefront-2026-10.json.gz",
  cartValidation: "functions-cart-checkout-validation-2026-10.json.gz",
} as const;
export type SchemaName = keyof typeof files;

const cache = new Map<SchemaName, GraphQLSchema>();

export function shopifySchema(name: SchemaName): GraphQLSchema {
  let schema = cache.get(name);
  if (!schema) {
    const introspection = JSON.parse(gunzipSync(readFileSync(join(dir, files[name]))).toString("utf8"));
    schema = buildClientSchema(introspection.data ?? introspection);
    cache.set(name, schema);
  }
  return schema;
}
