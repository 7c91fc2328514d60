// `npm run demo`: Holdfast with no Shopify account. Applies migrations on SQLite, starts the
// local dev store and the app, installs the app into the dev store through token exchange,
// and prints the admin URL. Ctrl-C stops everything. `--once` exits after the install check.
import { startCommand } from "../test/production-server";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { startDevStore, DEFAULT_SHOP } from "../test/dev-store/server";
import { appRegistrationFromToml } from "../test/dev-store/app-toml";
import { startStripeSimulator } from "../test/stripe-sim/server";
import { deployMigrations } from "./db-deploy";
import { startDemoStorefront } from "./demo-storefront";

const appPort = Number(process.env.PORT ?? 3000);
const storePort = Number(process.env.DEV_STORE_PORT ?? 4100);
const stripePort = Number(process.env.STRIPE_SIM_PORT ?? 4200);
const shopPort = Number(process.env.DEMO_STOREFRONT_PORT ?? 3100);
const appUrl = `http://localhost:${appPort}`;
const databaseUrl = process.env.DEMO_DATABASE_URL ?? "file:./prisma/demo.db";
// A fresh secret per run: it exists only in these two processes' memory.
const apiSecret = randomBytes(24).toString("hex");
const apiKey = "holdfast-demo";
const once = process.argv.includes("--once");

function step(message: string) {
  console.log(`• ${message}`);
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

let app: ChildProcess | undefined;
let storefront: Awaited<ReturnType<typeof startDemoStorefront>> | undefined;
const store = await startDevStore({
  app: appRegistrationFromToml({ apiKey, apiSecret, appUrl }),
  port: storePort,
  webhookRetryDelaysMs: [1000, 5000, 30000],
  log: (line) => console.log(`  [dev store] ${line}`),
});
// Payments too, with no Stripe account: the local Stripe simulator, webhooks signed to the app.
const stripeSim = await startStripeSimulator({ port: stripePort, log: (line) => console.log(`  [stripe sim] ${line}`) });
const stripeWebhookSecret = stripeSim.addWebhookEndpoint(`${appUrl}/webhooks/stripe`);
const shutdown = async (code = 0) => {
  app?.kill("SIGTERM");
  await storefront?.close();
  await store.close();
  await stripeSim.close();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

try {
  step(`dev store on ${store.url} (shop ${DEFAULT_SHOP}, ${store.shop().catalog.products.length} products, 2 locations)`);
  step(`Stripe simulator on ${stripeSim.url}`);
  step(`migrations on ${databaseUrl}`);
  await deployMigrations(databaseUrl, { quiet: true });
  if (!process.argv.includes("--no-build")) {
    step("building the app");
    const build = spawnSync("npm", ["run", "-s", "build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  step(`starting the app on ${appUrl}`);
  app = spawn("/bin/sh", ["-c", `exec ${startCommand()}`], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(appPort),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_DEV_STORE_URL: store.url,
      STRIPE_SECRET_KEY: "sk_test_holdfast_demo",
      STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
      STRIPE_API_BASE: stripeSim.url,
      STRIPE_PUBLISHABLE_KEY: "pk_test_holdfast_demo",
      STRIPE_JS_URL: `${stripeSim.url}/v3/`,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  app.on("exit", (code) => {
    if (code) {
      console.error(`the app exited with code ${code}`);
      void shutdown(1);
    }
  });
  await waitFor(`${appUrl}/healthz`, 30_000);

  // The admin URL Shopify would open: a session token good for the demo's length.
  const host = Buffer.from(`${DEFAULT_SHOP}/admin`).toString("base64url");
  const adminUrl = async () =>
    `${appUrl}/app?embedded=1&shop=${DEFAULT_SHOP}&host=${host}&id_token=${await store.sessionToken(DEFAULT_SHOP, { ttlSeconds: 8 * 3600 })}`;
  step("installing Holdfast into the dev store (token exchange)");
  // A browser's user agent: the Shopify library answers 410 to bots.
  const install = await fetch(await adminUrl(), { headers: { "User-Agent": "Mozilla/5.0 (Holdfast demo installer)" } });
  if (install.status !== 200) throw new Error(`install failed: GET /app answered ${install.status}`);
  if (!store.shop().installedScopes) throw new Error("install failed: the dev store recorded no grant");
  step(`installed with scopes ${store.shop().installedScopes?.join(",")}`);
  // The merchant switches on Holdfast's app embed in the theme editor (every plan's path).
  await fetch(`${store.url}/_dev/shops/${DEFAULT_SHOP}/theme/app-embeds`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ block: "reservation", disabled: false }),
  });
  step("the theme's cart reservation embed is switched on");

  // The merchant's set-up for a headless shop, through the admin's own pages: a storefront key,
  // delivery rates, two tax rates, and Stripe connected (the simulator's hosted onboarding).
  const admin = async (path: string, routeId: string, form: Record<string, string>) => {
    const target = new URL(path, appUrl);
    for (const [k, v] of Object.entries({ shop: DEFAULT_SHOP, host, embedded: "1", _data: routeId })) target.searchParams.set(k, v);
    return fetch(target, {
      method: "POST",
      headers: { Authorization: `Bearer ${await store.sessionToken(DEFAULT_SHOP)}`, "User-Agent": "Mozilla/5.0 (Holdfast demo installer)" },
      body: new URLSearchParams(form),
    });
  };
  const key = (await (
    await admin("/app/storefront-keys", "routes/app.storefront-keys", { intent: "create", name: "Demo storefront", allowedOrigins: "" })
  ).json()) as {
    secret?: string;
  };
  if (!key.secret) throw new Error("no storefront key was created");
  await admin("/app/shipping", "routes/app.shipping", { intent: "create", kind: "flat", title: "Standard (3–5 days)", amount: "7.00" });
  await admin("/app/shipping", "routes/app.shipping", { intent: "create", kind: "flat", title: "Express (1–2 days)", amount: "19.00" });
  await admin("/app/shipping", "routes/app.shipping", { intent: "tax", country: "US", province: "NY", percent: "8.88" });
  await admin("/app/shipping", "routes/app.shipping", { intent: "tax", country: "CA", province: "ON", percent: "13" });
  const onboarding = (await admin("/app/payments", "routes/app.payments", {})).headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
  if (!onboarding) throw new Error("Stripe onboarding did not start");
  await fetch(onboarding, { redirect: "manual" });
  storefront = await startDemoStorefront({
    port: shopPort,
    appUrl,
    storefrontKey: key.secret,
    shopName: store.shop().name,
    catalog: () => store.shop().catalog,
    currency: store.shop().currencyCode,
  });
  // The shop's carrier quotes by destination (Shopify's CarrierService format), next to the table's rates.
  await admin("/app/shipping", "routes/app.shipping", {
    intent: "rate-provider",
    rateProviderUrl: `${storefront.url.replace("localhost", "127.0.0.1")}/carrier-rates`,
  });
  step("storefront key, delivery rates (a table and a carrier), taxes (NY, Ontario) and Stripe (simulated) are set up");

  console.log(`
Holdfast is running against the local dev store.

  Admin home (valid for 8 hours):
  ADMIN_URL=${await adminUrl()}

  The shop's cart page (the theme, with Holdfast's reservation embed):
  STOREFRONT_CART_URL=${store.url}/shops/${DEFAULT_SHOP}/cart

  A headless storefront: buy something through Holdfast's Cart API and checkout page
  (pay with 4242 4242 4242 4242, any future date, any CVC; 4000 0027 6000 3184 asks for 3-D Secure):
  HEADLESS_STOREFRONT_URL=${storefront.url}

Try:
  - two shoppers racing for the last unit in Shopify's checkout (the dev store's model of it):
        npm run demo:race -- --store ${store.url} --app ${appUrl}
  - open the admin URL, then Settings: change the hold time (10–20 minutes) and the strategy;
  - buy from the headless storefront, then watch the hold in the admin's Holds page and the order in Checkouts;
  - send a webhook:  curl -s -XPOST ${store.url}/_dev/webhooks -H 'content-type: application/json' \\
        -d '{"shop":"${DEFAULT_SHOP}","topic":"customers/data_request","payload":{"customer":{"id":1,"email":"ann@example.com"},"orders_requested":[],"data_request":{"id":7}}}'
  - uninstall:        curl -s -XPOST ${store.url}/_dev/shops/${DEFAULT_SHOP}/uninstall
Ctrl-C stops the app and the dev store.
`);
  if (once) await shutdown(0);
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
  await shutdown(1);
}
