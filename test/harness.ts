// Starts what a test of the app needs: a throwaway database, the local dev store, and the
// app behind the production HTTP server (test/app-server.ts), so the dev store can deliver
// webhooks to it. Configuration goes through the environment, exactly as in production.
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "./database";
import { startDevStore, DEFAULT_SHOP, type DevStore, type DevStoreOptions } from "./dev-store/server";
import { appRegistrationFromToml } from "./dev-store/app-toml";
import { builtAssetsManifest, createTestAppServer } from "./app-server";

/** The admin page's route id (`/app/settings` → `routes/app.settings`, `/app` → `routes/app._index`). */
function adminRouteId(pathname: string): string {
  const id = `routes/${pathname.replace(/^\/+|\/+$/g, "").replaceAll("/", ".")}`;
  const routes = builtAssetsManifest().routes;
  if (routes[`${id}._index`]) return `${id}._index`;
  if (routes[id]) return id;
  // A route with parameters (`routes/app.holds.$id` for /app/holds/abc).
  const segments = id.split(".");
  const withParams = Object.keys(routes).find((r) => {
    const parts = r.split(".");
    return parts.length === segments.length && parts.every((p, i) => p === segments[i] || p.startsWith("$"));
  });
  if (!withParams) throw new Error(`no admin route for ${pathname}`);
  return withParams;
}

export interface TestApp {
  url: string;
  store: DevStore;
  database: TestDatabase;
  apiKey: string;
  apiSecret: string;
  /** The app's modules, loaded after the environment was set. */
  db: typeof import("../app/db.server").default;
  shopify: typeof import("../app/shopify.server").default;
  /**
   * A request to the app as the embedded admin makes it: with a session token, for the page's
   * data (Remix's `_data` protocol, as its client asks for a loader's or action's answer).
   */
  adminFetch(path: string, init?: RequestInit & { shop?: string }): Promise<Response>;
  /** Installs the app into a dev store shop through token exchange. */
  install(shop?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApp(options: Partial<Omit<DevStoreOptions, "app">> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = createTestAppServer();
  const { server } = app;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const apiKey = "holdfast-test-key";
  const apiSecret = randomBytes(24).toString("hex");
  const store = await startDevStore({ webhookRetryDelaysMs: [50, 100], ...options, app: appRegistrationFromToml({ apiKey, apiSecret, appUrl: url }) });

  Object.assign(process.env, {
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: url,
    DATABASE_URL: database.url,
    SHOPIFY_DEV_STORE_URL: store.url,
  });
  const db = (await import("../app/db.server")).default;
  const shopify = (await import("../app/shopify.server")).default;

  app.ready();

  const host = (shop: string) => Buffer.from(`${shop}/admin`).toString("base64url");

  const testApp: TestApp = {
    url,
    store,
    database,
    apiKey,
    apiSecret,
    db,
    shopify,
    async adminFetch(path, init = {}) {
      const shop = init.shop ?? DEFAULT_SHOP;
      const token = await store.sessionToken(shop);
      const target = new URL(path, url);
      const id = adminRouteId(target.pathname);
      if (id.endsWith("._index")) target.searchParams.set("index", "");
      target.searchParams.set("_data", id);
      target.searchParams.set("shop", shop);
      target.searchParams.set("host", host(shop));
      target.searchParams.set("embedded", "1");
      const headers = new Headers(init.headers);
      headers.set("Authorization", `Bearer ${token}`);
      headers.set("User-Agent", "Mozilla/5.0 (Holdfast tests)");
      return fetch(target, { ...init, headers });
    },
    async install(shop = DEFAULT_SHOP) {
      if (!store.state.shop(shop)) store.state.addShop(shop);
      const token = await store.sessionToken(shop);
      const target = new URL("/app", url);
      for (const [k, v] of Object.entries({ shop, host: host(shop), embedded: "1", id_token: token })) target.searchParams.set(k, v);
      const res = await fetch(target, { headers: { "User-Agent": "Mozilla/5.0 (Holdfast tests)" } });
      if (res.status !== 200) throw new Error(`install into ${shop} failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      await store.webhooks.settle();
      await store.close();
      await app.close(0);
      await db.$disconnect();
      await database.drop();
    },
  };
  return testApp;
}

/** A test app with the dev store's `shops`, the app installed into each (the admin's first open). */
export async function startInstalledTestApp(shops: string[], options: Partial<Omit<DevStoreOptions, "app" | "shops">> = {}): Promise<TestApp> {
  const t = await startTestApp({ ...options, shops });
  for (const shop of shops) await t.install(shop);
  return t;
}
