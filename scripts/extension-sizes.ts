// `npm run extensions:size`: builds every extension as the CLI does and prints each bundle's size
// (one JSON object, the last line). A bundle over its budget fails the run (CI calls this).
// Functions: the JS that Javy would compile (the Wasm step needs a download this machine cannot
// make; see scripts/function-bundle.ts).
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { bundleFunction } from "./function-bundle";
import { bundleUiExtension } from "./ui-extension-bundle";

/** A theme app extension ships its assets' JavaScript as it is (no bundling): all of it counts. */
function themeScripts(dir: string) {
  const code = readdirSync(`${dir}/assets`)
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(`${dir}/assets/${f}`, "utf8"))
    .join("\n");
  return { bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).byteLength };
}

// Budgets: the checkout extension ≤ 20 KB compressed (issue 13; Shopify's cap is 64 KB); the
// theme embed ≤ 10 KB of JavaScript, uncompressed (issue 13: "small, no framework").
const budgets = [
  { name: "holdfast-validation", kind: "function", exports: ["cart-validations-generate-run"], gzipBudget: 4 * 1024, budget: 16 * 1024 },
  { name: "holdfast-checkout", kind: "ui_extension", exports: [], gzipBudget: 20 * 1024, budget: 64 * 1024 },
  { name: "holdfast-theme", kind: "theme", exports: [], gzipBudget: 4 * 1024, budget: 10 * 1024 },
];

const results = [];
let over = false;
for (const e of budgets) {
  const dir = `extensions/${e.name}`;
  const bundle = e.kind === "function" ? await bundleFunction(dir, e.exports) : e.kind === "theme" ? themeScripts(dir) : await bundleUiExtension(dir);
  if ("close" in bundle && typeof bundle.close === "function") bundle.close();
  const ok = bundle.bytes <= e.budget && bundle.gzipBytes <= e.gzipBudget;
  over ||= !ok;
  results.push({ extension: e.name, kind: e.kind, bytes: bundle.bytes, gzipBytes: bundle.gzipBytes, budget: e.budget, gzipBudget: e.gzipBudget, ok });
  console.error(`${e.name}: ${bundle.bytes} bytes, ${bundle.gzipBytes} gzipped (budget ${e.budget} / ${e.gzipBudget})${ok ? "" : "  OVER BUDGET"}`);
}
console.log(JSON.stringify({ extensions: results }));
if (over) process.exit(1);
