// What the end-to-end suite runs against: the production server (`npm start`'s command on the
// bundle, NODE_ENV=production) in its own process, over real HTTP, with a throwaway database
// (SQLite, or PostgreSQL under TEST_DATABASE_URL), the local dev store and the Stripe
// simulator. The test process reaches the database only to arrange a shop (a storefront key, a
// shipping rate) and to check what was written; everything a user does goes over HTTP.
import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../database";
import { startDevStore, DEFAULT_SHOP, type DevStore } from "../dev-store/server";
import { appRegistrationFromToml } from "../dev-store/app-toml";
import { startStripeSimulator, type StripeSimulator } from "../stripe-sim/server";
import { freePort, startProductionServer, type ProductionServer } from "../production-server";
import { storefrontClient } from "../storefront-client";

export interface Stack {
  url: string;
  port: number;
  server: ProductionServer;
  store: DevStore;
  sim: StripeSimulator;
  database: TestDatabase;
  db: typeof import("../../app/db.server").default;
  /** The storefront key of DEFAULT_SHOP. */
  key: string;
  /** The environment the server was started with (to start another on the same stack). */
  env: Record<string, string>;
  /** The embedded admin's request for a page's data (Remix `_data`), with a session token. */
  adminData(path: string, routeId: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export const UA = "Mozilla/5.0 (Holdfast end-to-end)";

export async function startStack(o: { env?: Record<string, string> } = {}): Promise<Stack> {
  const database = await createTestDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const apiKey = "holdfast-e2e";
  const apiSecret = randomBytes(24).toString("hex");
  const store = await startDevStore({ app: appRegistrationFromToml({ apiKey, apiSecret, appUrl: url }), webhookRetryDelaysMs: [100, 300] });
  const sim = await startStripeSimulator({ webhookRetryDelaysMs: [100, 300] });
  const env: Record<string, string> = {
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: url,
    DATABASE_URL: database.url,
    SHOPIFY_DEV_STORE_URL: store.url,
    STRIPE_SECRET_KEY: "sk_test_holdfast_platform",
    STRIPE_API_BASE: sim.url,
    STRIPE_WEBHOOK_SECRET: sim.addWebhookEndpoint(`${url}/webhooks/stripe`),
    STRIPE_PUBLISHABLE_KEY: "pk_test_holdfast_platform",
    STRIPE_JS_URL: `${sim.url}/v3/`,
    HOLDFAST_INSTANCE_ID: `e2e-${port}`,
    ...o.env,
  };
  // The test process's own view of the database (the server has its own connection).
  process.env.DATABASE_URL = database.url;
  process.env.SHOPIFY_DEV_STORE_URL = store.url;
  const db = (await import("../../app/db.server")).default;
  const server = await startProductionServer({ port, env });

  // Installed through token exchange, as the Shopify admin does on first open.
  const host = Buffer.from(`${DEFAULT_SHOP}/admin`).toString("base64url");
  const session = async (path: string) => {
    const target = new URL(path, url);
    for (const [k, v] of Object.entries({ shop: DEFAULT_SHOP, host, embedded: "1" })) target.searchParams.set(k, v);
    return target;
  };
  const install = await session("/app");
  install.searchParams.set("id_token", await store.sessionToken(DEFAULT_SHOP));
  const installed = await fetch(install, { headers: { "User-Agent": UA } });
  if (installed.status !== 200) throw new Error(`install failed: ${installed.status} ${await installed.text()}`);

  const adminData = async (path: string, routeId: string, init: RequestInit = {}) => {
    const target = await session(path);
    target.searchParams.set("_data", routeId);
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${await store.sessionToken(DEFAULT_SHOP)}`);
    headers.set("User-Agent", UA);
    return fetch(target, { ...init, headers });
  };

  // The merchant's set-up, through the admin pages: a storefront key, a shipping rate, Stripe.
  const created = await adminData("/app/storefront-keys", "routes/app.storefront-keys", {
    method: "POST",
    body: new URLSearchParams({ intent: "create", name: "web", allowedOrigins: "" }),
  });
  const key = ((await created.json()) as { secret?: string }).secret;
  if (!key) throw new Error("no storefront key was created");
  const rate = await adminData("/app/shipping", "routes/app.shipping", {
    method: "POST",
    body: new URLSearchParams({ intent: "create-rate", kind: "flat", title: "Standard", amount: "7.00" }),
  });
  if (rate.status >= 300) throw new Error(`shipping rate: ${rate.status} ${await rate.text()}`);
  // Stripe, as the merchant connects it: the Payments page sends them through Stripe's onboarding.
  const connect = await adminData("/app/payments", "routes/app.payments", { method: "POST", body: new URLSearchParams({}) });
  const onboarding = connect.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
  if (!onboarding) throw new Error(`Stripe onboarding did not start: ${connect.status} ${await connect.text()}`);
  await fetch(onboarding, { redirect: "manual" });

  return {
    url,
    port,
    server,
    store,
    sim,
    database,
    db,
    key,
    env,
    adminData,
    async close() {
      await server.stop();
      await store.webhooks.settle();
      await store.close();
      await sim.close();
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** A headless storefront's calls to this stack (the suite's storefront client). */
export const storefront = (stack: () => Stack) =>
  storefrontClient(
    () => stack().url,
    () => stack().key,
  );
