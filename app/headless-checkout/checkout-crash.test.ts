// The checkout's crash proof: the production server (`npm start`'s command on the built
// bundle, NODE_ENV=production, its background jobs on short periods) is killed with SIGKILL at
// every saga step boundary, inside compensations, and right after Shopify or Stripe did what
// it asked (the answer lost with the process). A supervisor restarts it, the shopper's client
// retries as a real one would, and every checkout must end completed or fully compensated:
// one charge with one order, or no charge left standing; no stock held; no duplicate order.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database";
import { startDevStore, DEFAULT_SHOP, type DevStore, type Fault as ShopifyFault } from "../../test/dev-store/server";
import { appRegistrationFromToml } from "../../test/dev-store/app-toml";
import { startStripeSimulator, type StripeSimulator, type Fault as StripeFault } from "../../test/stripe-sim/server";
import { storefrontClient } from "../../test/storefront-client";
import { freePort, startProductionServer, type ProductionServer } from "../../test/production-server";
import { headlessCheckoutHoldOwner } from "../holds/owners";

type Boundary = { step: string; phase: "action" | "compensation"; when: "before" | "after" };
type Downstream = { service: "stripe" | "shopify"; matches: (request: { path: string; body: string; method: string }) => boolean; label: string };

let database: TestDatabase;
let store: DevStore;
let sim: StripeSimulator;
let db: typeof import("../db.server").default;
let appUrl: string;
let port: number;
let key: string;

/** When set, the next downstream request it matches kills the app after the work is done. */
let killAfter: Downstream | null = null;
let killed: () => void = () => {};

/** The app process: started, killed, restarted on the same port (the same instance). */
class AppProcess {
  private server: ProductionServer | null = null;
  exited: Promise<void> = Promise.resolve();
  starts = 0;
  kills = 0;

  async start(crashAt?: Boundary) {
    this.starts++;
    const server = await startProductionServer({
      port,
      env: {
        HOLDFAST_INSTANCE_ID: "crash-test",
        HOLDFAST_SWEEP_EVERY_MS: "250",
        HOLDFAST_MIRROR_EVERY_MS: "250",
        HOLDFAST_SAGA_EVERY_MS: "250",
        HOLDFAST_RECONCILE_EVERY_MS: "3600000",
        HOLDFAST_ABANDONED_EVERY_MS: "3600000",
        ...(crashAt ? { HOLDFAST_CRASH_AT: JSON.stringify(crashAt) } : {}),
      },
      nodeOptions: `--import ${join(process.cwd(), "test", "crash", "crash-at.mjs")}`,
    });
    this.server = server;
    this.exited = server.exited.then(({ signal, code }) => {
      if (signal === "SIGKILL") this.kills++;
      else if (this.server === server && !this.stopping) console.error(`app process ended on its own (${signal ?? code}):\n${server.output().slice(-2000)}`);
    });
  }

  private stopping = false;
  async kill() {
    await this.server?.stop("SIGKILL");
    await this.exited;
  }
  async stop() {
    this.stopping = true;
    await this.kill();
    this.stopping = false;
  }
}

const app = new AppProcess();

const api = storefrontClient(
  () => appUrl,
  () => key,
);

/** The shopper's client: on a dropped connection or a 5xx it retries the same request, as Stripe.js-era clients do. */
async function persistently(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  for (let i = 0; i < 600; i++) {
    try {
      const answer = await api(method, path, body, headers);
      // 409 without a checkout is "the same key is still in progress": retry after a moment.
      if (answer.status < 500 && !(answer.status === 409 && !answer.body.checkout)) return answer;
    } catch {
      /* the app is down or died mid-request */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${method} ${path} never answered`);
}

async function readyCart() {
  const { catalog } = store.shop();
  const level = catalog.levels.find((l) => l.quantities.available >= 40 && catalog.variants.some((v) => v.inventoryItemId === l.inventoryItemId))!;
  const variant = catalog.variants.find((v) => v.inventoryItemId === level.inventoryItemId)!;
  const cart = (await persistently("POST", "/api/v1/carts", {})).body.cart.id as string;
  await persistently(
    "POST",
    `/api/v1/carts/${cart}/lines`,
    { variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity: 1 },
    { "Idempotency-Key": `line-${cart}` },
  );
  await persistently("PUT", `/api/v1/carts/${cart}/contact`, { email: "kim@example.com" });
  await persistently("PUT", `/api/v1/carts/${cart}/addresses`, {
    shippingAddress: { lastName: "Kim", address1: "2 Quay Rd", city: "Portland", country: "US" },
  });
  const rates = (await persistently("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.rates as { id: string }[];
  const chosen = await persistently("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: rates[0].id });
  return { cart, grandTotal: chosen.body.totals.grandTotal as number };
}

/** The shopper checks out and pays with a card that works; every call survives the app dying. */
async function shopperChecksOut(cart: string, grandTotal: number, beforePaying?: () => Promise<void>): Promise<string> {
  const started = await persistently("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
  const id = started.body.checkout.id as string;
  let view = started.body.checkout;
  for (let i = 0; !view.clientSecret && !["completed", "failed"].includes(view.state); i++) {
    if (i > 600) throw new Error(`checkout ${id} never asked for payment: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 100));
    view = (await persistently("GET", `/api/v1/checkouts/${id}`)).body.checkout;
  }
  await beforePaying?.();
  if (view.clientSecret) {
    // The browser talks to Stripe directly (Payment Element): the app being down does not matter.
    const pi = String(view.clientSecret).split("_secret_")[0];
    await fetch(`${sim.url}/v1/payment_intents/${pi}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
      body: "payment_method=pm_card_visa",
    });
    // Back from Stripe: the client's hint (the webhook may have been lost while the app was down).
    await persistently("POST", `/api/v1/checkouts/${id}/confirm`, {}, { "Idempotency-Key": `confirm-${id}` });
  }
  return id;
}

async function settled(runId: string) {
  for (let i = 0; i < 1200; i++) {
    const run = await db.sagaRun.findUnique({ where: { id: runId } });
    if (run && ["completed", "compensated", "stuck"].includes(run.state)) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`checkout ${runId} did not end: ${JSON.stringify(await db.sagaRun.findUnique({ where: { id: runId } }))}`);
}

/** Runs one checkout with the app killed as the scenario says, restarting it whenever it dies. */
async function crashScenario(o: {
  crashAt?: Boundary;
  killAfter?: Downstream;
  shopifyRefusesOrder?: boolean;
  killBeforePaying?: boolean;
  shopifyFaults?: ShopifyFault[];
  stripeFaults?: StripeFault[];
  drainShopifyBucket?: boolean;
}) {
  await app.stop();
  await app.start();
  const { cart, grandTotal } = await readyCart();
  await app.stop();
  await app.start(o.crashAt);
  const kills = app.kills;
  killAfter = o.killAfter ?? null;
  // Some kills happen in a background worker: the shopper pays only once it has happened.
  const killHappened = new Promise<void>((resolve) => (killed = resolve));
  // Shopify refuses the order (the shop is frozen: 402): the saga compensates what it did.
  if (o.shopifyRefusesOrder) store.faults.push({ path: "graphql\\.json$", bodyPattern: "orderCreate", status: 402, times: 1 });
  store.faults.push(...(o.shopifyFaults ?? []));
  sim.faults.push(...(o.stripeFaults ?? []));
  if (o.drainShopifyBucket) store.shop().bucket.drain();
  let done = false;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const supervisor = (async () => {
    while (!done) {
      await Promise.race([app.exited, finished]);
      if (!done) await app.start();
    }
  })();
  try {
    const runId = await shopperChecksOut(cart, grandTotal, o.killBeforePaying ? () => killHappened : undefined);
    const run = await settled(runId);
    // Every injected fault was met (a fault never hit would prove nothing).
    for (const fault of [...(o.shopifyFaults ?? []), ...(o.stripeFaults ?? [])])
      if (fault.times !== undefined) expect(fault, JSON.stringify(fault)).toMatchObject({ times: 0 });
    return { runId, run, cart, grandTotal, killed: app.kills - kills };
  } finally {
    done = true;
    finish();
    killAfter = null;
    store.faults.length = 0;
    sim.faults.length = 0;
    await supervisor.catch(() => undefined);
  }
}

/** What must hold after every scenario, whatever was killed where. */
async function expectInvariants(runId: string, grandTotal: number, expected: "completed" | "compensated") {
  const run = await db.sagaRun.findUniqueOrThrow({ where: { id: runId } });
  expect(run.state).toBe(expected);
  const payments = [...sim.paymentIntents.values()].filter((p) => p.metadata.holdfast_run === runId);
  const orders = store.shop().orders.filter((o) => o.sourceIdentifier === `${runId}:shopify order`);
  // Zero duplicate orders, at most one PaymentIntent.
  expect(orders.length).toBeLessThanOrEqual(1);
  expect(payments.length).toBeLessThanOrEqual(1);
  const refunded = (piId: string) => [...sim.refunds.values()].filter((r) => r.payment_intent === piId).reduce((s, r) => s + Number(r.amount), 0);
  if (expected === "completed") {
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: "succeeded", amount_received: grandTotal });
    expect(refunded(payments[0].id)).toBe(0);
    expect(orders).toHaveLength(1);
    expect(orders[0].cancelledAt).toBeNull();
    expect((await db.cart.findUniqueOrThrow({ where: { id: run.key } })).convertedAt).not.toBeNull();
  } else {
    // No money left taken: never authorised, authorisation cancelled, or refunded in full.
    for (const p of payments) {
      expect(["requires_payment_method", "canceled", "succeeded"]).toContain(p.status);
      if (p.status === "succeeded") expect(refunded(p.id)).toBe(p.amount_received);
    }
    for (const o of orders) expect(o.cancelledAt).not.toBeNull();
  }
  // No stock stays held by this checkout, and the ledger's held units are the active holds' sum.
  expect(await db.hold.count({ where: { ownerId: headlessCheckoutHoldOwner(runId).id, state: { in: ["held", "extended"] } } })).toBe(0);
  const levels = await db.stockLevel.findMany({ where: { shop: DEFAULT_SHOP } });
  const activeHolds = await db.hold.findMany({ where: { shop: DEFAULT_SHOP, state: { in: ["held", "extended"] } }, select: { lines: true } });
  const active = activeHolds.flatMap((h) => JSON.parse(h.lines) as { inventoryItemId: string; locationId: string; quantity: number }[]);
  for (const level of levels) {
    const sum = active.filter((l) => l.inventoryItemId === level.inventoryItemId && l.locationId === level.locationId).reduce((s, l) => s + l.quantity, 0);
    expect(level.held, `${level.inventoryItemId}@${level.locationId}`).toBe(sum);
  }
}

const happyBoundaries: Boundary[] = ["recalculate", "hold", "payment intent", "authorization", "shopify order", "capture", "complete"].flatMap((step) =>
  (["before", "after"] as const).filter((when) => !(step === "authorization" && when === "after")).map((when) => ({ step, phase: "action" as const, when })),
);
const compensationBoundaries: Boundary[] = ["shopify order", "payment intent", "hold"].flatMap((step) =>
  (["before", "after"] as const).map((when) => ({ step, phase: "compensation" as const, when })),
);
const graphqlOperation = (name: string) => (r: { path: string; body: string }) => r.path.endsWith("graphql.json") && r.body.includes(name);

beforeAll(async () => {
  database = await createTestDatabase();
  port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  const apiKey = "holdfast-crash-test";
  const apiSecret = randomBytes(24).toString("hex");
  const killOnMatch = async (service: Downstream["service"], request: { path: string; body: string; method: string }) => {
    if (killAfter?.service === service && killAfter.matches(request)) {
      killAfter = null;
      await app.kill(); // the work is done downstream; the answer dies with the app
      killed();
    }
  };
  store = await startDevStore({
    // Shopify keeps retrying a webhook for hours; here for half a minute (and once more at the end).
    app: appRegistrationFromToml({ apiKey, apiSecret, appUrl }),
    webhookRetryDelaysMs: [200, 500, 1000, 2000, 4000, 8000, 16000],
    onApplied: (r) => killOnMatch("shopify", { ...r, method: "POST" }),
  });
  sim = await startStripeSimulator({ webhookRetryDelaysMs: [200, 500, 1000, 2000], onApplied: (r) => killOnMatch("stripe", { ...r, body: "" }) });
  Object.assign(process.env, {
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    DATABASE_URL: database.url,
    SHOPIFY_DEV_STORE_URL: store.url,
    STRIPE_SECRET_KEY: "sk_test_holdfast_platform",
    STRIPE_API_BASE: sim.url,
  });
  process.env.STRIPE_WEBHOOK_SECRET = sim.addWebhookEndpoint(`${appUrl}/webhooks/stripe`);
  db = (await import("../db.server")).default;
  await app.start();
  const target = new URL("/app", appUrl);
  const token = await store.sessionToken(DEFAULT_SHOP);
  for (const [k, v] of Object.entries({ shop: DEFAULT_SHOP, host: Buffer.from(`${DEFAULT_SHOP}/admin`).toString("base64url"), embedded: "1", id_token: token }))
    target.searchParams.set(k, v);
  const installed = await fetch(target, { headers: { "User-Agent": "Mozilla/5.0 (Holdfast tests)" } });
  expect(installed.status).toBe(200);
  await db.shop.update({ where: { domain: DEFAULT_SHOP }, data: { stripeAccountId: "acct_crash_1" } });
  const { createStorefrontKey } = await import("../storefront/keys.server");
  key = (await createStorefrontKey(DEFAULT_SHOP, { name: "web", allowedOrigins: [] })).secret;
  const { createShippingRate } = await import("../cart/shipping.server");
  await createShippingRate(DEFAULT_SHOP, { kind: "flat", title: "Standard", amount: 500 });
}, 60_000);

afterAll(async () => {
  await app.stop();
  await store?.webhooks.settle();
  await store?.close();
  await sim?.close();
  await db?.$disconnect();
  await database?.drop();
});

describe("checkout survives the app being killed (SIGKILL, restart)", { timeout: 120_000 }, () => {
  it("with no crash: completed, and with Shopify refusing the order: compensated (the controls)", async () => {
    const ok = await crashScenario({});
    await expectInvariants(ok.runId, ok.grandTotal, "completed");
    const refused = await crashScenario({ shopifyRefusesOrder: true });
    await expectInvariants(refused.runId, refused.grandTotal, "compensated");
    expect(refused.run.failedStep).toBe("shopify order");
    expect(sim.paymentIntents.get([...sim.paymentIntents.values()].find((p) => p.metadata.holdfast_run === refused.runId)!.id)!.status).toBe("canceled");
  });

  for (const crashAt of happyBoundaries) {
    it(`killed ${crashAt.when} the ${crashAt.step} step: completed once`, async () => {
      const { runId, grandTotal, killed } = await crashScenario({ crashAt });
      expect(killed).toBe(1);
      await expectInvariants(runId, grandTotal, "completed");
    });
  }

  for (const crashAt of compensationBoundaries) {
    it(`killed ${crashAt.when} compensating the ${crashAt.step} step: fully compensated`, async () => {
      const { runId, grandTotal, killed } = await crashScenario({ crashAt, shopifyRefusesOrder: true });
      expect(killed).toBe(1);
      await expectInvariants(runId, grandTotal, "compensated");
    });
  }

  const inside: { downstream: Downstream; refuse?: boolean; beforePaying?: boolean; expected: "completed" | "compensated" }[] = [
    {
      downstream: { service: "stripe", label: "Stripe created the PaymentIntent", matches: (r) => r.method === "POST" && r.path === "/v1/payment_intents" },
      expected: "completed",
    },
    { downstream: { service: "shopify", label: "Shopify created the order", matches: graphqlOperation("orderCreate") }, expected: "completed" },
    {
      downstream: { service: "stripe", label: "Stripe captured the payment", matches: (r) => r.method === "POST" && r.path.endsWith("/capture") },
      expected: "completed",
    },
    {
      downstream: { service: "shopify", label: "Shopify moved the held units to reserved", matches: graphqlOperation("inventoryMoveQuantities") },
      beforePaying: true,
      expected: "completed",
    },
    {
      downstream: {
        service: "stripe",
        label: "Stripe cancelled the authorisation (compensating)",
        matches: (r) => r.method === "POST" && r.path.endsWith("/cancel"),
      },
      refuse: true,
      expected: "compensated",
    },
  ];
  for (const { downstream, refuse, beforePaying, expected } of inside) {
    it(`killed right after ${downstream.label}, before the app heard back: ${expected} once`, async () => {
      const { runId, grandTotal, killed } = await crashScenario({ killAfter: downstream, shopifyRefusesOrder: refuse, killBeforePaying: beforePaying });
      expect(killed).toBe(1);
      await expectInvariants(runId, grandTotal, expected);
    });
  }
});

describe("checkout survives Shopify and Stripe failing at each step (5xx, 429, throttling, timeouts, lost answers)", { timeout: 120_000 }, () => {
  const admin = "^/admin/api/.*graphql\\.json$";
  const cases: { name: string; expected: "completed" | "compensated"; scenario: Parameters<typeof crashScenario>[0] }[] = [
    {
      name: "the Storefront API answers 503 while prices are checked",
      expected: "completed",
      scenario: { shopifyFaults: [{ path: "^/api/.*graphql\\.json$", status: 503, times: 3 }] },
    },
    { name: "the Admin API answers 503 while stock is held", expected: "completed", scenario: { shopifyFaults: [{ path: admin, status: 503, times: 3 }] } },
    { name: "the Admin API throttles (bucket empty)", expected: "completed", scenario: { drainShopifyBucket: true } },
    {
      name: "Stripe answers 429 to the PaymentIntent",
      expected: "completed",
      scenario: { stripeFaults: [{ path: "^/v1/payment_intents$", method: "POST", status: 429, times: 4 }] },
    },
    {
      name: "Stripe answers 500 to the PaymentIntent",
      expected: "completed",
      scenario: { stripeFaults: [{ path: "^/v1/payment_intents$", method: "POST", status: 500, times: 3 }] },
    },
    {
      name: "Stripe's answer to the PaymentIntent is lost",
      expected: "completed",
      scenario: { stripeFaults: [{ path: "^/v1/payment_intents$", method: "POST", dropResponse: true, times: 1 }] },
    },
    {
      name: "Stripe takes longer than the client's timeout for the PaymentIntent",
      expected: "completed",
      scenario: { stripeFaults: [{ path: "^/v1/payment_intents$", method: "POST", latencyMs: 21_000, times: 1 }] },
    },
    {
      name: "Shopify answers 503 to orderCreate",
      expected: "completed",
      scenario: { shopifyFaults: [{ path: "graphql\\.json$", bodyPattern: "orderCreate", status: 503, times: 3 }] },
    },
    {
      name: "Shopify's answer to orderCreate is lost",
      expected: "completed",
      scenario: { shopifyFaults: [{ path: "graphql\\.json$", bodyPattern: "orderCreate", dropResponse: true, times: 1 }] },
    },
    {
      name: "Shopify never answers orderCreate (step timeout)",
      expected: "completed",
      scenario: { shopifyFaults: [{ path: "graphql\\.json$", bodyPattern: "orderCreate", timeout: true, times: 1 }] },
    },
    {
      name: "Stripe answers 503 then 429 to the capture",
      expected: "completed",
      scenario: {
        stripeFaults: [
          { path: "/capture$", status: 503, times: 3 },
          { path: "/capture$", status: 429, times: 3 },
        ],
      },
    },
    {
      name: "Stripe's answer to the capture is lost",
      expected: "completed",
      scenario: { stripeFaults: [{ path: "/capture$", dropResponse: true, times: 1 }] },
    },
    {
      name: "Shopify refuses the order and Stripe answers 503 to the cancel",
      expected: "compensated",
      scenario: { shopifyRefusesOrder: true, stripeFaults: [{ path: "/cancel$", status: 503, times: 4 }] },
    },
    {
      name: "Shopify answers 503 to orderCreate for good",
      expected: "compensated",
      scenario: { shopifyFaults: [{ path: "graphql\\.json$", bodyPattern: "orderCreate", status: 503 }] },
    },
  ];
  for (const { name, expected, scenario } of cases) {
    it(`${name}: ${expected} once`, async () => {
      const { runId, grandTotal } = await crashScenario(scenario);
      await expectInvariants(runId, grandTotal, expected);
    });
  }
});

describe("after all those crashes", () => {
  it("the reconciler finds the ledger, the active holds and Shopify's reserved units in agreement", async () => {
    const shopify = (await import("../shopify.server")).default;
    const { drainInventoryMoves } = await import("../holds/mirror.server");
    const { reconcileShop } = await import("../holds/reconciler.server");
    const adminFor = async (shop: string) => (await shopify.unauthenticated.admin(shop)).admin;
    // Shopify retries a webhook for hours; the test's retries last half a minute, and under load
    // the app spends longer than that restarting. What was not delivered is delivered now, to the
    // app running, as Shopify's later retries would.
    await store.webhooks.settle();
    await app.stop();
    await app.start();
    for (const delivery of store.webhooks.deliveries.filter((d) => !d.delivered)) await store.webhooks.redeliver(delivery);
    // This process takes over as the app (SQLite is one process's database).
    await app.stop();
    await store.webhooks.settle();
    expect(store.webhooks.deliveries.filter((d) => !d.delivered).map((d) => ({ topic: d.topic, uri: d.uri, attempts: d.attempts.slice(-2) }))).toEqual([]);
    // A move the killed process had leased is taken again once its lease has run out; one that
    // meets quantities changed meanwhile is read again and sent on the next round.
    for (let round = 1; round <= 4; round++) await drainInventoryMoves({ adminFor, now: new Date(Date.now() + round * 3600_000) });
    expect(await db.shopifyInventoryMove.findMany({ where: { shop: DEFAULT_SHOP, state: { notIn: ["done", "skipped"] } } })).toEqual([]);
    const findings = await reconcileShop(DEFAULT_SHOP, await adminFor(DEFAULT_SHOP));
    expect(findings).toEqual([]);
  });
});
