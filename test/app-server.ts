// The app as the test suite serves it: the production HTTP server (app/server/http.server.ts,
// the same Express app, Remix request handler and error handling that `npm start` runs) over a
// Remix build whose route tree is the real build's (read from its assets manifest, so every
// route, parent and path is what Remix itself compiled) and whose modules are the source files,
// loaded in the test's own process. Tests can then reach the same module instances the routes
// use (the database client, the saga runner, caches). What this cannot show is the bundle
// itself; test/e2e/ starts `npm start`'s own command on build/index.js for that (decision 018).
import type { ServerBuild } from "@remix-run/node";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createHoldfastHttpServer, type HoldfastHttpServer } from "../app/server/http.server";

const ROOT = process.cwd();

type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };

let manifest: ServerBuild["assets"] | undefined;

/** The client assets manifest that the current build/index.js serves (read once: a test run builds once). */
export function builtAssetsManifest(): ServerBuild["assets"] {
  return (manifest ??= readAssetsManifest());
}

function readAssetsManifest(): ServerBuild["assets"] {
  const serverBuild = join(ROOT, "build", "index.js");
  if (!existsSync(serverBuild)) throw new Error("no build/index.js: the test setup runs `remix build` first");
  const url = /url: "(\/build\/manifest-[0-9A-Z]+\.js)"/.exec(readFileSync(serverBuild, "utf8"))?.[1];
  if (!url) throw new Error("build/index.js names no assets manifest");
  const text = readFileSync(join(ROOT, "public", url), "utf8");
  return JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, ""));
}

function routeModuleFile(id: string): string {
  for (const candidate of [id, `${id}/route`]) {
    for (const ext of [".tsx", ".ts", ".jsx", ".js"]) {
      const file = join(ROOT, "app", candidate + ext);
      if (existsSync(file)) return file;
    }
  }
  throw new Error(`no source file for route ${id}`);
}

/** A Remix server build of the source modules, with the real build's route tree and assets. */
export async function sourceBuild(): Promise<ServerBuild> {
  const assets = builtAssetsManifest();
  const config = (await import("../remix.config.js")).default as { future: ServerBuild["future"] };
  const routes: ServerBuild["routes"] = {};
  for (const route of Object.values(assets.routes) as ManifestRoute[]) {
    routes[route.id] = {
      id: route.id,
      parentId: route.parentId,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      module: await import(/* @vite-ignore */ routeModuleFile(route.id)),
    };
  }
  return {
    mode: "production",
    entry: { module: await import("../app/entry.server") },
    routes,
    assets,
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: config.future,
    isSpaMode: false,
    basename: undefined,
  } as ServerBuild;
}

/**
 * The production server over the source build. It listens at once; requests wait until
 * `ready()` is called (the modules read the environment when they load).
 */
export function createTestAppServer(): HoldfastHttpServer & { ready(): void } {
  let load!: () => void;
  const loaded = new Promise<void>((resolve) => (load = resolve));
  let build: Promise<ServerBuild> | undefined;
  const server = createHoldfastHttpServer(async () => {
    await loaded;
    return (build ??= sourceBuild());
  });
  return { ...server, ready: () => load() };
}
