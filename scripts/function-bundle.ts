// A Shopify Function's JavaScript, bundled as `shopify app build` bundles it before Javy turns it
// into Wasm: an entry that imports `@shopify/shopify_function/run` and the user's function
// (aliased as `user-function`) and exports one function per target. The Wasm step itself needs
// Javy, which the CLI downloads at run time and this machine cannot reach, so the bundle is run
// in Node behind the same I/O the Wasm host gives it: a `ShopifyFunction` global whose
// readInput() returns the input and whose writeOutput() takes the result.
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const camel = (name: string) => name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

export interface FunctionBundle {
  code: string;
  /** Bytes of the bundle, and gzip-compressed. */
  bytes: number;
  gzipBytes: number;
  /** Runs one export with `input`, as the Wasm host would; returns what the function wrote. */
  run(exportName: string, input: unknown): Promise<unknown>;
  close(): void;
}

/** Bundles the Function in `dir` for its targets' exports (kebab-case names, as in the TOML). */
export async function bundleFunction(dir: string, exports: string[]): Promise<FunctionBundle> {
  const entry =
    `import __runFunction from "@shopify/shopify_function/run";\n` +
    exports
      .map((e) => `import { ${camel(e)} as __${camel(e)} } from "user-function";\nexport function ${camel(e)}() { return __runFunction(__${camel(e)}); }`)
      .join("\n");
  const result = await build({
    stdin: { contents: entry, resolveDir: resolve(dir), loader: "ts" },
    alias: { "user-function": resolve(dir, "src/index.ts") },
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "neutral",
    mainFields: ["main", "module"],
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  const tmp = mkdtempSync(join(tmpdir(), "holdfast-function-"));
  const file = join(tmp, "function.mjs");
  writeFileSync(file, code);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, () => void>;
  return {
    code,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code).byteLength,
    async run(exportName, input) {
      let output: unknown;
      let wrote = false;
      (globalThis as { ShopifyFunction?: unknown }).ShopifyFunction = {
        readInput: () => structuredClone(input),
        writeOutput: (value: unknown) => {
          output = value;
          wrote = true;
        },
      };
      try {
        mod[camel(exportName)]();
      } finally {
        delete (globalThis as { ShopifyFunction?: unknown }).ShopifyFunction;
      }
      if (!wrote) throw new Error(`${exportName} wrote no output`);
      return output;
    },
    close: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
