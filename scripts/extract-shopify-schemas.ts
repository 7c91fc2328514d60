// Re-extracts Shopify's official 2026-10 GraphQL schemas from the npm package that ships
// them (@shopify/dev-mcp@1.16.0, ISC) into test/shopify-schemas/, and checks them against
// SHA256SUMS. `--verify` only checks the pinned copy.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PACKAGE = "@shopify/dev-mcp@1.16.0";
const target = join(process.cwd(), "test", "shopify-schemas");
const files: Record<string, string> = {
  "admin_2026-10.json.gz": "admin-2026-10.json.gz",
  "storefront-graphql_2026-10.json.gz": "storefront-2026-10.json.gz",
  "functions_cart_checkout_validation_2026-10.json.gz": "functions-cart-checkout-validation-2026-10.json.gz",
};

function verify(): boolean {
  let ok = true;
  for (const line of readFileSync(join(target, "SHA256SUMS"), "utf8").trim().split("\n")) {
    const [sum, name] = line.split(/\s+/);
    const actual = createHash("sha256")
      .update(readFileSync(join(target, name)))
      .digest("hex");
    if (actual !== sum) {
      console.error(`${name}: checksum mismatch`);
      ok = false;
    }
  }
  return ok;
}

if (!process.argv.includes("--verify")) {
  const work = mkdtempSync(join(tmpdir(), "shopify-schemas-"));
  try {
    execFileSync("npm", ["pack", PACKAGE, "--silent"], { cwd: work, stdio: ["ignore", "pipe", "inherit"] });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${PACKAGE} produced no tarball`);
    const members = Object.keys(files).map((f) => `package/dist/data/${f}`);
    execFileSync("tar", ["xzf", tarball, ...members], { cwd: work });
    for (const [from, to] of Object.entries(files)) copyFileSync(join(work, "package/dist/data", from), join(target, to));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
if (!verify()) process.exit(1);
console.log("Shopify 2026-10 schemas match SHA256SUMS");
