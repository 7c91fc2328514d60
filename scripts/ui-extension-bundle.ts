// A UI extension bundled as `shopify app build` bundles it: one ES module with every target's
// module, each registered with `shopify.extend(target, …)`, minified, for the browser, with
// NODE_ENV=production. Its size is what Shopify's 64 KB (compressed) cap applies to.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";

/** The targets of a `shopify.extension.toml` and the module each renders. */
export function uiTargets(dir: string): { target: string; module: string }[] {
  const toml = readFileSync(resolve(dir, "shopify.extension.toml"), "utf8");
  return [...toml.matchAll(/\[\[extensions\.targeting\]\]\s*module\s*=\s*"([^"]+)"\s*target\s*=\s*"([^"]+)"/g)].map((m) => ({ module: m[1], target: m[2] }));
}

export async function bundleUiExtension(dir: string): Promise<{ code: string; bytes: number; gzipBytes: number; targets: string[] }> {
  const targets = uiTargets(dir);
  if (!targets.length) throw new Error(`no targets in ${dir}/shopify.extension.toml`);
  const entry =
    targets.map((t, i) => `import Target_${i} from ${JSON.stringify(resolve(dir, t.module))};`).join("\n") +
    "\n" +
    targets.map((t, i) => `shopify.extend(${JSON.stringify(t.target)}, (...args) => Target_${i}(...args));`).join("\n");
  const result = await build({
    stdin: { contents: entry, resolveDir: resolve(dir), loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    platform: "browser",
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).byteLength, targets: targets.map((t) => t.target) };
}
