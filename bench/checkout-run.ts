// One database's run of `npm run bench:checkout` (the parent sets DATABASE_URL). Prints a JSON line.
// Complete checkouts against the local dev store and Stripe simulator, three ways, in rotating
// rounds: through the production server (`npm start`'s command on the bundle, its own process;
// the shopper's client starts the checkout, confirms with Stripe and tells the API, as a
// storefront does), through the saga called in this process (runs and every step attempt
// stored, leases, resumable), and the very same step actions called one after the other with no
// saga log (the baseline). In all, the shopper's confirmation with Stripe is part of the checkout.
import { randomBytes, randomUUID } from "node:crypto";
import { startDevStore, DEFAULT_SHOP } from "../test/dev-store/server";
import { appRegistrationFromToml } from "../test/dev-store/app-toml";
import { startStripeSimulator } from "../test/stripe-sim/server";
import { freePort, startProductionServer, type ProductionServer } from "../test/production-server";
import { storefrontClient } from "../test/storefront-client";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 120);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const port = await freePort();
const appUrl = `http://127.0.0.1:${port}`;
const apiKey = "holdfast-bench";
const apiSecret = randomBytes(24).toString("hex");
// Shopify Plus's Admin API limits (1,000 points/s, a 20,000-point bucket): at the standard 100/s
// the bench would measure Shopify's throttle, the same for both ways, not the saga.
const SHOPIFY_LIMITS = { bucketSize: 20_000, restoreRate: 1_000 };
const store = await startDevStore({ app: appRegistrationFromToml({ apiKey, apiSecret, appUrl }), webhookRetryDelaysMs: [100], ...SHOPIFY_LIMITS });
const sim = await startStripeSimulator({});
const env = {
  SHOPIFY_API_KEY: apiKey,
  SHOPIFY_API_SECRET: apiSecret,
  SHOPIFY_APP_URL: appUrl,
  SHOPIFY_DEV_STORE_URL: store.url,
  STRIPE_SECRET_KEY: "sk_test_holdfast_bench",
  STRIPE_API_BASE: sim.url,
  STRIPE_WEBHOOK_SECRET: "whsec_unused",
  // No webhook endpoint: every way learns of the authorisation from the shopper's confirmation.
  // Each way moves its own checkouts: no background job competes for the two cores.
  HOLDFAST_WORKERS: "off",
  DATABASE_URL: process.env.DATABASE_URL!,
};
Object.assign(process.env, env);
// The production server serves every cart's set-up and the http way's checkouts; while the
// in-process ways are measured it is stopped, so one process writes the database at a time (as
// a SQLite deployment runs). Shopify's webhooks about those orders then go unanswered: the
// in-process ways are spared that work, which only flatters them.
let production: ProductionServer | null = null;
async function serve(up: boolean) {
  if (up && !production) production = await startProductionServer({ port, env });
  if (!up && production) {
    await production.stop();
    production = null;
  }
}
// A failure of the bench says what the server said.
process.on("uncaughtException", (error) => {
  console.error(`${(error as Error).stack}\n--- the production server's output:\n${production?.output().slice(-4000)}`);
  process.exit(1);
});
const db = (await import("../app/db.server")).default;
await import("../app/shopify.server");
await serve(true);
const { checkoutSaga } = await import("../app/headless-checkout/checkout-saga.server");
const { sagaRunner, startCheckout, PAYMENT_AUTHORIZED } = await import("../app/headless-checkout/checkout-runner.server");
const { stripe } = await import("../app/payments/stripe.server");
const { WaitFor } = await import("../app/saga/runner.server");

// Install through token exchange, as the embedded admin does.
const install = new URL("/app", appUrl);
for (const [k, v] of Object.entries({
  shop: DEFAULT_SHOP,
  host: Buffer.from(`${DEFAULT_SHOP}/admin`).toString("base64url"),
  embedded: "1",
  id_token: await store.sessionToken(DEFAULT_SHOP),
}))
  install.searchParams.set(k, v);
const installed = await fetch(install, { headers: { "User-Agent": "Mozilla/5.0 (Holdfast bench)" } });
if (installed.status !== 200) throw new Error(`install failed: ${installed.status}`);
await db.shop.update({ where: { domain: DEFAULT_SHOP }, data: { stripeAccountId: "acct_bench_1" } });
const { createStorefrontKey } = await import("../app/storefront/keys.server");
const key = (await createStorefrontKey(DEFAULT_SHOP, { name: "bench", allowedOrigins: [] })).secret;
const { createShippingRate } = await import("../app/cart/shipping.server");
await createShippingRate(DEFAULT_SHOP, { kind: "flat", title: "Standard", amount: 500 });

// Plenty of one variant, so every checkout can hold and buy it.
const { catalog } = store.shop();
const variant = catalog.variants.find((v) => catalog.levels.some((l) => l.inventoryItemId === v.inventoryItemId))!;
for (const level of catalog.levels.filter((l) => l.inventoryItemId === variant.inventoryItemId)) level.quantities.available = 1_000_000;

const api = storefrontClient(
  () => appUrl,
  () => key,
);
async function readyCart() {
  const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
  await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity: 1 });
  await api("PUT", `/api/v1/carts/${cart}/contact`, { email: "bench@example.com" });
  await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: { lastName: "Bench", address1: "1 Pier", city: "Portland", country: "US" } });
  const rates = (await api("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.rates as { id: string }[];
  const chosen = await api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: rates[0].id });
  return { cartId: cart, expectedTotal: chosen.body.totals.grandTotal as number };
}

/** The shopper's part: the Payment Element confirms the PaymentIntent with Stripe. */
const confirm = (pi: { id: string; account: string }) =>
  stripe().paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" }, { stripeAccount: pi.account });

const ways = {
  /** Through the production server, as a storefront: start (202 with the clientSecret), Stripe, confirm. */
  async http(input: { cartId: string; expectedTotal: number }) {
    const started = await api("POST", "/api/v1/checkouts", input, { "Idempotency-Key": `bench-${input.cartId}` });
    if (started.status !== 202 || !started.body.checkout.clientSecret)
      throw new Error(`checkout did not ask for payment: ${started.status} ${JSON.stringify(started.body)}`);
    const id = started.body.checkout.id as string;
    const run = await db.sagaRun.findUniqueOrThrow({ where: { id } });
    await confirm(JSON.parse(run.results)["payment intent"] as { id: string; account: string });
    const confirmed = await api("POST", `/api/v1/checkouts/${id}/confirm`, {}, { "Idempotency-Key": `bench-confirm-${id}` });
    if (confirmed.body.checkout?.state !== "completed") throw new Error(`checkout ended ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  },
  /** Through the saga: start (runs to the wait), the shopper confirms, the event resumes it to the end. */
  async saga(input: { cartId: string; expectedTotal: number }) {
    const { run } = await startCheckout(DEFAULT_SHOP, input);
    if (run.state !== "waiting") throw new Error(`saga checkout did not wait for payment: ${run.state} ${run.failedStep} ${run.error}`);
    await confirm(run.results["payment intent"] as { id: string; account: string });
    await sagaRunner.signal(DEFAULT_SHOP, run.id, PAYMENT_AUTHORIZED, { status: "requires_capture" });
    const done = await db.sagaRun.findUniqueOrThrow({ where: { id: run.id } });
    if (done.state !== "completed") throw new Error(`saga checkout ended ${done.state}: ${done.error}`);
  },
  /** The same step actions in order, with nothing stored about the run. */
  async direct(input: { cartId: string; expectedTotal: number }) {
    const runId = randomUUID();
    const results: Record<string, unknown> = {};
    for (const [i, step] of checkoutSaga.steps.entries()) {
      const out = await step.action({
        shop: DEFAULT_SHOP,
        runId,
        input,
        results,
        idempotencyKey: `${runId}:${step.name}`,
        attempt: 1,
        signal: new AbortController().signal,
      });
      if (out instanceof WaitFor) {
        await confirm(results["payment intent"] as { id: string; account: string });
        results[step.name] = { status: "requires_capture" };
      } else results[step.name] = out ?? null;
      if (i === checkoutSaga.steps.length - 1 && typeof out !== "string") throw new Error("direct checkout did not complete");
    }
  },
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(way: keyof typeof ways, count: number) {
  await serve(true);
  const carts: { cartId: string; expectedTotal: number }[] = [];
  for (let i = 0; i < count; i++) carts.push(await readyCart());
  await serve(way === "http");
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < carts.length) {
        const cart = carts[next++];
        const t0 = performance.now();
        await ways[way](cart);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    checkoutsPerSecond: Number((count / seconds).toFixed(1)),
    p50Ms: Number(percentile(latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(latencies, 99).toFixed(1)),
  };
}

if (process.env.BENCH_PROFILE) {
  await ways.saga(await readyCart());
  await ways.direct(await readyCart());
  await ways.saga(await readyCart());
  await ways.direct(await readyCart());
  const input = await readyCart();
  const t0 = performance.now();
  await ways.saga(input);
  const total = performance.now() - t0;
  const run = await db.sagaRun.findFirstOrThrow({ where: { key: input.cartId } });
  const attempts = await db.sagaStepAttempt.findMany({ where: { runId: run.id }, orderBy: { id: "asc" } });
  console.error(`saga total ${total.toFixed(0)} ms; run created ${run.createdAt.toISOString()}`);
  for (const a of attempts)
    console.error(
      `${a.step.padEnd(16)} ${a.phase} ${a.outcome} ${a.startedAt.toISOString()} → ${a.endedAt?.toISOString()} (${a.endedAt!.getTime() - a.startedAt.getTime()} ms)`,
    );
  const input2 = await readyCart();
  const runId = randomUUID();
  const results: Record<string, unknown> = {};
  for (const step of checkoutSaga.steps) {
    const s0 = performance.now();
    const out = await step.action({
      shop: DEFAULT_SHOP,
      runId,
      input: input2,
      results,
      idempotencyKey: `${runId}:${step.name}`,
      attempt: 1,
      signal: new AbortController().signal,
    });
    if (out instanceof WaitFor) {
      await confirm(results["payment intent"] as { id: string; account: string });
      results[step.name] = {};
    } else results[step.name] = out ?? null;
    console.error(`direct ${step.name.padEnd(16)} ${(performance.now() - s0).toFixed(0)} ms`);
  }
  process.exit(0);
}

type Measurement = Awaited<ReturnType<typeof measure>>;
const median = (runs: Measurement[]) => [...runs].sort((a, b) => a.checkoutsPerSecond - b.checkoutsPerSecond)[Math.floor(runs.length / 2)];
if (process.env.BENCH_ONLY) {
  // For profiling one way: BENCH_ONLY=http|saga|direct.
  const way = process.env.BENCH_ONLY as keyof typeof ways;
  await measure(way, 10);
  console.log(JSON.stringify({ [way]: await measure(way, CHECKOUTS) }));
  process.exit(0);
}
await measure("http", 10); // warm-up
await measure("saga", 10);
await measure("direct", 10);
const runs: Record<keyof typeof ways, Measurement[]> = { http: [], saga: [], direct: [] };
const orders: (keyof typeof ways)[][] = [
  ["http", "saga", "direct"],
  ["direct", "http", "saga"],
  ["saga", "direct", "http"],
];
for (let round = 0; round < ROUNDS; round++) for (const way of orders[round % orders.length]) runs[way].push(await measure(way, CHECKOUTS));
const http = median(runs.http);
const saga = median(runs.saga);
const direct = median(runs.direct);
// Every checkout paid once and made one order: the bench is not measuring a broken path.
const orderCount = store.shop().orders.length;
const captured = [...sim.paymentIntents.values()].filter((p) => p.status === "succeeded").length;
if (orderCount !== captured) throw new Error(`${orderCount} orders but ${captured} captured payments`);
console.log(
  JSON.stringify({
    concurrency: CONCURRENCY,
    checkoutsPerRound: CHECKOUTS,
    rounds: ROUNDS,
    shopifyLimits: SHOPIFY_LIMITS,
    productionServer: http,
    sagaInProcess: saga,
    baseline: direct,
    // The saga log's own cost (issue 5's target), and the whole path a storefront meets.
    overheadRatio: Number((direct.checkoutsPerSecond / saga.checkoutsPerSecond).toFixed(2)),
    p50Ratio: Number((saga.p50Ms / direct.p50Ms).toFixed(2)),
    productionServerRatio: Number((direct.checkoutsPerSecond / http.checkoutsPerSecond).toFixed(2)),
    productionServerP50Ratio: Number((http.p50Ms / direct.p50Ms).toFixed(2)),
    target: "overheadRatio <= 1.5",
  }),
);
await store.close();
await sim.close();
await serve(false);
await db.$disconnect();
process.exit(0);
