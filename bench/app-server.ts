// The benches that go through HTTP: the built app (remix build, `npm start`'s command,
// NODE_ENV=production) on a throwaway SQLite file against the local dev store, installed into
// each of `shops` through token exchange, as the admin does on first open.
import { startCommand } from "../test/production-server";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startDevStore, DEFAULT_SHOP, type DevStore } from "../test/dev-store/server";
import { appRegistrationFromToml } from "../test/dev-store/app-toml";
import { deployMigrations } from "../scripts/db-deploy";

export const UA = "Mozilla/5.0 (Holdfast bench)";

export interface BenchApp {
  appUrl: string;
  store: DevStore;
  databaseUrl: string;
  /** The embedded admin's request for a page's data (Remix `_data`), with a session token. */
  adminData(shop: string, path: string, routeId: string): Promise<Response>;
  /** The query string of such a request, for load generators. */
  adminQuery(shop: string, routeId: string, params?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startBenchApp(o: { port: number; shops?: string[]; name: string }): Promise<BenchApp> {
  const appUrl = `http://127.0.0.1:${o.port}`;
  const apiKey = "holdfast-bench";
  const apiSecret = randomBytes(24).toString("hex");
  const dir = mkdtempSync(join(tmpdir(), `${o.name}-`));
  const databaseUrl = `file:${join(dir, "bench.db")}`;
  const shops = o.shops ?? [DEFAULT_SHOP];
  const store = await startDevStore({ app: appRegistrationFromToml({ apiKey, apiSecret, appUrl }), restoreRate: 1000, bucketSize: 20000, shops });
  let app: ChildProcess | undefined;
  const stop = async () => {
    app?.kill("SIGTERM");
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await deployMigrations(databaseUrl, { quiet: true });
    const build = spawnSync("remix", ["build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error("remix build failed");
    app = spawn("/bin/sh", ["-c", `exec ${startCommand()}`], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(o.port),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        SHOPIFY_API_KEY: apiKey,
        SHOPIFY_API_SECRET: apiSecret,
        SHOPIFY_APP_URL: appUrl,
        SHOPIFY_DEV_STORE_URL: store.url,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitFor(`${appUrl}/healthz`, 60_000);
    const adminQuery = async (shop: string, routeId: string, params: Record<string, string> = {}) => {
      const host = Buffer.from(`${shop}/admin`).toString("base64url");
      return new URLSearchParams({ embedded: "1", shop, host, _data: routeId, ...params }).toString();
    };
    for (const shop of shops) {
      const host = Buffer.from(`${shop}/admin`).toString("base64url");
      const install = await fetch(`${appUrl}/app?embedded=1&shop=${shop}&host=${host}&id_token=${await store.sessionToken(shop)}`, {
        headers: { "User-Agent": UA },
      });
      if (install.status !== 200) throw new Error(`install into ${shop} failed: ${install.status}`);
    }
    return {
      appUrl,
      store,
      databaseUrl,
      adminQuery,
      adminData: async (shop, path, routeId) =>
        fetch(`${appUrl}${path}${path.includes("?") ? "&" : "?"}${await adminQuery(shop, routeId)}`, {
          headers: { "User-Agent": UA, Authorization: `Bearer ${await store.sessionToken(shop, { ttlSeconds: 3600 })}` },
        }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
