// Builds the checkout page's script (app/checkout-page/client/) next to Remix's assets: minified,
// content-hashed, in public/build/checkout/, with build/checkout-client.json for the server (its
// path and its sizes, which `npm run bench:checkout-page` reports). Part of `npm run build`.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const outDir = join("public", "build", "checkout");
const result = await build({
  entryPoints: ["app/checkout-page/client/checkout.ts"],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020", "chrome100", "safari15", "firefox100"],
  write: false,
  legalComments: "none",
});
const code = result.outputFiles[0].contents;
const hash = createHash("sha256").update(code).digest("hex").slice(0, 12);
mkdirSync(outDir, { recursive: true });
for (const old of readdirSync(outDir)) rmSync(join(outDir, old));
const file = `checkout-${hash}.js`;
writeFileSync(join(outDir, file), code);
const manifest = { script: `/build/checkout/${file}`, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
mkdirSync("build", { recursive: true });
writeFileSync(join("build", "checkout-client.json"), JSON.stringify(manifest, null, 2));
console.log(`checkout page script: ${manifest.script} (${manifest.bytes} B, ${manifest.gzipBytes} B gzipped)`);
