import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { startStripeSimulator, webhookSigningSecret, type StripeSimulator } from "../../test/stripe-sim/server";
import { openApiChecker } from "../../test/openapi-check";
import { storefrontClient } from "../../test/storefront-client";
import { cartApiDocument } from "../cart/openapi";
import { headlessCheckoutHoldOwner } from "../holds/owners";
import { readyCart as cartReadyToPay, stockedVariants, until } from "../../test/fixtures";

// Every checkout answer in this file is checked against the OpenAPI document.
const conformsToDocument = openApiChecker(cartApiDocument as never, "/api/v1");

let t: TestApp;
let sim: StripeSimulator;
let key: string;

beforeAll(async () => {
  sim = await startStripeSimulator({ webhookRetryDelaysMs: [50, 100] });
  process.env.STRIPE_SECRET_KEY = "sk_test_holdfast_platform";
  process.env.STRIPE_API_BASE = sim.url;
  // The app reads its configuration once, so the secret is chosen before it starts.
  process.env.STRIPE_WEBHOOK_SECRET = webhookSigningSecret();
  t = await startTestApp();
  await t.install(DEFAULT_SHOP);
  sim.addWebhookEndpoint(`${t.url}/webhooks/stripe`, process.env.STRIPE_WEBHOOK_SECRET);
  await t.db.shop.update({ where: { domain: DEFAULT_SHOP }, data: { stripeAccountId: "acct_merchant_1" } });
  const { createStorefrontKey } = await import("../storefront/keys.server");
  key = (await createStorefrontKey(DEFAULT_SHOP, { name: "web", allowedOrigins: [] })).secret;
  const { createShippingRate } = await import("../cart/shipping.server");
  await createShippingRate(DEFAULT_SHOP, { kind: "flat", title: "Standard", amount: 700 });
});
afterAll(async () => {
  await t?.close();
  await sim?.close();
});

const api = storefrontClient(
  () => t.url,
  () => key,
  (path, method, status, body) => {
    if (path.startsWith("/api/v1/checkouts")) conformsToDocument(path, method, status, body);
  },
);

/** A cart ready to pay: two units of a well-stocked variant, contact, address, shipping chosen. */
async function readyCart() {
  const variant = stockedVariants(t.store.shop(), 5)[0];
  return { ...(await cartReadyToPay(api, [{ variantId: variant.gid, quantity: 2 }])), variant };
}

describe("checkout saga through the API", () => {
  it("holds, asks for payment, and after the shopper authorises: one Shopify order, one capture, the hold committed, the cart converted", async () => {
    const { cart, grandTotal } = await readyCart();
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
    expect(started.status).toBe(202);
    expect(started.body.checkout).toMatchObject({ cartId: cart, state: "awaiting_payment", clientSecret: expect.stringMatching(/_secret_/) });
    const piId = String(started.body.checkout.clientSecret).split("_secret_")[0];
    expect(sim.paymentIntents.get(piId)).toMatchObject({ amount: grandTotal, currency: "usd", capture_method: "manual", status: "requires_payment_method" });
    expect(sim.requests.find((r) => r.path === "/v1/payment_intents")?.account).toBe("acct_merchant_1");
    const hold = await t.db.hold.findFirstOrThrow({ where: { ownerId: headlessCheckoutHoldOwner(started.body.checkout.id).id } });
    expect(hold).toMatchObject({ kind: "hard", state: "extended" });

    // A retry of the start: the same checkout, no second PaymentIntent.
    const retry = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
    expect(retry.body.checkout.id).toBe(started.body.checkout.id);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    // Another key for the same cart: still the same checkout.
    const other = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co2-${cart}` });
    expect(other.body.checkout.id).toBe(started.body.checkout.id);
    expect([...sim.paymentIntents.values()].filter((p) => p.metadata.holdfast_run === started.body.checkout.id)).toHaveLength(1);

    // The shopper authorises in the browser (Payment Element); Stripe's webhook moves the checkout.
    await fetch(`${sim.url}/v1/payment_intents/${piId}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
      body: "payment_method=pm_card_visa",
    });
    const done = await until(
      () => api("GET", `/api/v1/checkouts/${started.body.checkout.id}`),
      (r) => r.body.checkout.state === "completed",
    );
    const orderId = done.body.checkout.orderId as string;
    const order = t.store.shop().orders.find((o) => `gid://shopify/Order/${o.id}` === orderId)!;
    expect(order.total).toBe((grandTotal / 100).toFixed(2));
    expect(order.transactions[0]).toMatchObject({ kind: "AUTHORIZATION", authorizationCode: piId });
    expect(t.store.shop().orders.filter((o) => o.sourceIdentifier === order.sourceIdentifier)).toHaveLength(1);
    expect(sim.paymentIntents.get(piId)!.status).toBe("succeeded");
    // Committed with the order it became (the merchant's results count it), the cart at its last stage.
    expect(await t.db.hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({ state: "committed", orderId, units: hold.units });
    expect(hold.units).toBeGreaterThan(0);
    expect(await t.db.cart.findUniqueOrThrow({ where: { id: cart } })).toMatchObject({ convertedAt: expect.any(Date), stage: "order", lostReason: null });
    // The client's confirm hint afterwards changes nothing.
    const hint = await api("POST", `/api/v1/checkouts/${started.body.checkout.id}/confirm`, {}, { "Idempotency-Key": `hint-${cart}` });
    expect(hint.body.checkout.state).toBe("completed");

    // The merchant's Checkouts page lists it, and its page tells the whole story in order.
    const runId = started.body.checkout.id as string;
    const list = await (await t.adminFetch("/app/checkouts?state=completed")).json();
    expect(list.checkouts.find((c: { id: string }) => c.id === runId)).toMatchObject({
      state: "completed",
      amount: { minor: grandTotal, currency: "USD" },
      email: expect.stringMatching(/^\w\*\*\*@/),
      lastStep: "complete",
    });
    // Shopify's orders/create for the order arrives on its own time: on the timeline once it has.
    const detail = await until(
      async () => (await t.adminFetch(`/app/checkouts/${runId}`)).json(),
      (d) => d.timeline.some((e: { kind: string; name: string }) => e.kind === "webhook" && e.name === "ORDERS_CREATE"),
      "orders/create on the run's timeline",
    );
    const steps = detail.timeline.filter((e: { kind: string }) => e.kind === "step").map((e: { name: string }) => e.name);
    expect([...new Set(steps)]).toEqual(["recalculate", "hold", "payment intent", "authorization", "shopify order", "capture", "complete"]);
    const stripe = detail.timeline.filter((e: { kind: string }) => e.kind === "stripe").map((e: { name: string }) => e.name);
    expect(stripe).toContain("payment_intent.amount_capturable_updated");
    const times = detail.timeline.map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort());
    expect(detail.timeline.every((e: { durationMs: number | null }) => e.durationMs === null || e.durationMs >= 0)).toBe(true);
    expect(detail.links).toEqual({
      order: { id: orderId, url: `shopify://admin/orders/${order.id}` },
      payment: { id: piId, url: `https://dashboard.stripe.com/acct_merchant_1/test/payments/${piId}` },
      holdId: hold.id,
    });
    // Another shop sees neither the run nor its page.
    const { listCheckouts, checkoutDetail } = await import("./checkouts-admin.server");
    expect((await listCheckouts("other-shop.myshopify.com", { state: "all" })).checkouts).toEqual([]);
    expect(await checkoutDetail("other-shop.myshopify.com", runId)).toBeNull();
    expect((await t.adminFetch(`/app/checkouts/not-a-run`)).status).toBe(404);
  });

  it("the Shopify order carries the tax at the rate the cart was taxed at, and its total is the charge", async () => {
    const { setTaxRule, removeTaxRule } = await import("../cart/tax.server");
    await setTaxRule(DEFAULT_SHOP, { country: "US", province: "", basisPoints: 825, shipping: true });
    try {
      const { cart, grandTotal } = await readyCart();
      const totals = (await api("GET", `/api/v1/carts/${cart}`)).body.totals;
      expect(totals.taxLines).toEqual([{ title: "US tax", basisPoints: 825, amount: totals.tax }]);
      expect(totals.tax).toBeGreaterThan(0);
      const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
      const piId = String(started.body.checkout.clientSecret).split("_secret_")[0];
      await fetch(`${sim.url}/v1/payment_intents/${piId}/confirm`, {
        method: "POST",
        headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
        body: "payment_method=pm_card_visa",
      });
      const done = await until(
        () => api("GET", `/api/v1/checkouts/${started.body.checkout.id}`),
        (r) => ["completed", "failed"].includes(r.body.checkout.state),
      );
      expect(done.body.checkout.state).toBe("completed");
      const order = t.store.shop().orders.find((o) => `gid://shopify/Order/${o.id}` === done.body.checkout.orderId)!;
      expect(order.taxLines).toEqual([{ title: "US tax", rate: "0.0825", price: (totals.tax / 100).toFixed(2) }]);
      expect(order.taxesIncluded).toBe(false);
      expect(order.total).toBe((grandTotal / 100).toFixed(2));
    } finally {
      await removeTaxRule(DEFAULT_SHOP, "US", "");
    }
  });

  it("basis points become Shopify's decimal tax rates exactly", async () => {
    const { rateOf } = await import("./checkout-saga.server");
    expect([0, 5, 825, 888, 2000, 10_000].map(rateOf)).toEqual(["0.0000", "0.0005", "0.0825", "0.0888", "0.2000", "1.0000"]);
  });

  it("concurrent submits of the same cart, with the same key and with different keys, make one checkout, one payment and one order", async () => {
    const { cart, grandTotal } = await readyCart();
    const submits = await Promise.all([
      ...Array.from({ length: 10 }, () => api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `same-${cart}` })),
      ...Array.from({ length: 10 }, (_, i) =>
        api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `other-${i}-${cart}` }),
      ),
    ]);
    // Each answer is the checkout, or "the same key is in progress, retry" (409 + Retry-After).
    for (const s of submits) expect([202, 409]).toContain(s.status);
    const ids = new Set(submits.filter((s) => s.status === 202).map((s) => s.body.checkout.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect(await t.db.sagaRun.count({ where: { key: cart } })).toBe(1);
    expect([...sim.paymentIntents.values()].filter((p) => p.metadata.holdfast_run === id)).toHaveLength(1);
    expect(await t.db.hold.count({ where: { ownerId: headlessCheckoutHoldOwner(id).id } })).toBe(1);
    // The shopper pays once; every client that submitted also sends its confirm hint.
    const pi = [...sim.paymentIntents.values()].find((p) => p.metadata.holdfast_run === id)!;
    await fetch(`${sim.url}/v1/payment_intents/${pi.id}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
      body: "payment_method=pm_card_visa",
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => api("POST", `/api/v1/checkouts/${id}/confirm`, {}, { "Idempotency-Key": `hint-${i}-${cart}` })));
    await until(
      () => api("GET", `/api/v1/checkouts/${id}`),
      (r) => r.body.checkout.state === "completed",
    );
    expect(t.store.shop().orders.filter((o) => o.sourceIdentifier === `${id}:shopify order`)).toHaveLength(1);
    expect(sim.requests.filter((r) => r.path === `/v1/payment_intents/${pi.id}/capture`).length).toBeGreaterThanOrEqual(1);
    expect(sim.paymentIntents.get(pi.id)).toMatchObject({ status: "succeeded", amount_received: grandTotal });
  });

  it("a total that changed since the shopper saw it stops the checkout with the reason, holding and charging nothing", async () => {
    const { cart, grandTotal } = await readyCart();
    const answer = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal - 100 }, { "Idempotency-Key": `co-${cart}` });
    expect(answer.status).toBe(409);
    expect(answer.body.checkout).toMatchObject({ state: "failed", error: { step: "recalculate", message: expect.stringMatching(/^The total changed from/) } });
    expect(await t.db.cart.findUniqueOrThrow({ where: { id: cart } })).toMatchObject({ stage: "checkout", lostReason: "price_changed" });
    expect(await t.db.hold.count({ where: { ownerId: headlessCheckoutHoldOwner(answer.body.checkout.id).id } })).toBe(0);
    expect([...sim.paymentIntents.values()].filter((p) => p.metadata.holdfast_run === answer.body.checkout.id)).toHaveLength(0);
  });

  it("refuses a checkout write without an Idempotency-Key, and bad input, changing nothing", async () => {
    const { cart, grandTotal } = await readyCart();
    expect((await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal })).body.error.code).toBe("idempotency_key_required");
    expect((await api("POST", "/api/v1/checkouts", { cartId: "nope", expectedTotal: 1 }, { "Idempotency-Key": "x1" })).status).toBe(400);
    expect((await api("POST", "/api/v1/checkouts", { cartId: cart }, { "Idempotency-Key": "x2" })).status).toBe(400);
    expect(await t.db.sagaRun.count({ where: { key: cart } })).toBe(0);
  });

  it("a checkout whose hold expires before the payment is authorised is given up: PaymentIntent cancelled, nothing held", async () => {
    const { cart, grandTotal } = await readyCart();
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
    const id = started.body.checkout.id as string;
    const piId = String(started.body.checkout.clientSecret).split("_secret_")[0];
    const { abandonExpiredCheckouts } = await import("./checkout-runner.server");
    expect(await abandonExpiredCheckouts()).toBe(0);
    const hold = await t.db.hold.findFirstOrThrow({ where: { ownerId: headlessCheckoutHoldOwner(id).id } });
    await t.db.hold.update({ where: { id: hold.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await abandonExpiredCheckouts()).toBe(1);
    const after = await api("GET", `/api/v1/checkouts/${id}`);
    expect(after.body.checkout).toMatchObject({ state: "failed", error: { message: "the checkout's hold expired before the payment was authorised" } });
    expect(sim.paymentIntents.get(piId)!.status).toBe("canceled");
    expect((await t.db.hold.findUniqueOrThrow({ where: { id: hold.id } })).state).toBe("released");
    expect(await t.db.cart.findUniqueOrThrow({ where: { id: cart } })).toMatchObject({ stage: "payment", lostReason: "hold_expired" });
    // On the merchant's page: failed with the reason, then what it had done undone.
    const detail = await (await t.adminFetch(`/app/checkouts/${id}`)).json();
    expect(detail.checkout).toMatchObject({
      state: "compensated",
      lastStep: "authorization",
      error: "the checkout's hold expired before the payment was authorised",
    });
    const undone = detail.timeline.filter((e: { kind: string }) => e.kind === "compensation").map((e: { name: string }) => e.name);
    expect([...new Set(undone)]).toEqual(["payment intent", "hold"]); // the steps with something to undo, newest first
    expect((await (await t.adminFetch("/app/checkouts?state=failed")).json()).checkouts.map((c: { id: string }) => c.id)).toContain(id);
  });

  it("the reconciler refunds a captured payment whose checkout did not complete, and cancels a dangling authorisation, once", async () => {
    const stripe = (await import("../payments/stripe.server")).stripe();
    const make = async (capture: boolean) => {
      const pi = await stripe.paymentIntents.create({ amount: 2500, currency: "usd", capture_method: "manual" }, { stripeAccount: "acct_merchant_1" });
      await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" }, { stripeAccount: "acct_merchant_1" });
      if (capture) await stripe.paymentIntents.capture(pi.id, {}, { stripeAccount: "acct_merchant_1" });
      // A checkout that was compensated, but whose payment was not undone (a failure in between).
      const run = await t.db.sagaRun.create({
        data: {
          id: `run-${pi.id}`,
          shop: DEFAULT_SHOP,
          saga: "checkout",
          key: `cart-${pi.id}`,
          input: "{}",
          state: "compensated",
          results: JSON.stringify({ "payment intent": { id: pi.id, account: "acct_merchant_1" } }),
        },
      });
      return { pi: pi.id, run: run.id };
    };
    const captured = await make(true);
    const authorised = await make(false);
    const { reconcileCheckoutPayments } = await import("./checkout-reconciler.server");
    const findings = await reconcileCheckoutPayments(DEFAULT_SHOP);
    expect(findings.map((f) => [f.paymentIntent, f.repair])).toEqual(
      expect.arrayContaining([
        [captured.pi, "refunded 2500"],
        [authorised.pi, "authorisation cancelled"],
      ]),
    );
    expect(sim.charges.get(sim.paymentIntents.get(captured.pi)!.latest_charge!)!.refunded).toBe(true);
    expect(sim.paymentIntents.get(authorised.pi)!.status).toBe("canceled");
    expect(await t.db.reconcileFinding.count({ where: { shop: DEFAULT_SHOP, kind: "payment_without_order" } })).toBeGreaterThanOrEqual(2);
    // Nothing left to repair.
    expect((await reconcileCheckoutPayments(DEFAULT_SHOP)).filter((f) => [captured.pi, authorised.pi].includes(f.paymentIntent))).toEqual([]);
  });

  it("the reconciler gives a stuck checkout another round of compensation, and moves one no instance is moving", async () => {
    const { reconcileStuckCheckouts } = await import("./checkout-reconciler.server");
    // Stuck: its compensation kept failing (Stripe was down) and it was parked.
    const first = await readyCart();
    const stuck = (await api("POST", "/api/v1/checkouts", { cartId: first.cart, expectedTotal: first.grandTotal }, { "Idempotency-Key": `co-${first.cart}` }))
      .body.checkout;
    await t.db.sagaRun.update({
      where: { id: stuck.id },
      data: { state: "stuck", failedStep: "authorization", step: 3, error: "compensation payment intent: Stripe unavailable" },
    });
    // Overdue: due ten minutes ago, leased to nobody (its instance died, and no worker noticed).
    const second = await readyCart();
    const overdue = (
      await api("POST", "/api/v1/checkouts", { cartId: second.cart, expectedTotal: second.grandTotal }, { "Idempotency-Key": `co-${second.cart}` })
    ).body.checkout;
    await t.db.sagaRun.update({
      where: { id: overdue.id },
      data: { state: "compensating", failedStep: "authorization", step: 3, nextAttemptAt: new Date(Date.now() - 600_000), leaseOwner: null, leaseUntil: null },
    });

    const findings = await reconcileStuckCheckouts(DEFAULT_SHOP);
    expect(findings).toEqual(
      expect.arrayContaining([
        { kind: "saga_stuck_retried", runId: stuck.id, repair: "compensation retried: compensated" },
        { kind: "saga_overdue", runId: overdue.id, repair: "moved on: compensated" },
      ]),
    );
    for (const id of [stuck.id, overdue.id]) {
      const pi = [...sim.paymentIntents.values()].find((p) => p.metadata.holdfast_run === id)!;
      expect(pi.status).toBe("canceled");
      expect(await t.db.hold.count({ where: { ownerId: headlessCheckoutHoldOwner(id).id, state: { in: ["held", "extended"] } } })).toBe(0);
    }
    expect(await t.db.reconcileFinding.count({ where: { shop: DEFAULT_SHOP, kind: { in: ["saga_stuck_retried", "saga_overdue"] } } })).toBe(2);
    expect(await reconcileStuckCheckouts(DEFAULT_SHOP)).toEqual([]);
  });

  it("an order Shopify made but never confirmed is found by its key and cancelled: by the compensation, or later by the reconciler", async () => {
    const { createOrder } = await import("../../test/dev-store/orders");
    const { checkoutSaga } = await import("./checkout-saga.server");
    const { reconcileCheckoutOrders } = await import("./checkout-reconciler.server");
    const variant = t.store.shop().catalog.variants[0];
    const orderMadeUnder = (key: string) =>
      createOrder(
        t.store.state,
        t.store.shop(),
        {
          currency: "USD",
          sourceIdentifier: key,
          sourceName: "holdfast",
          lineItems: [{ variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity: 1 }],
        },
        null,
        undefined,
      ).order!;
    // The step failed for good with no result (every answer lost): its compensation looks the order up.
    const lost = orderMadeUnder("run-lost:shopify order");
    const step = checkoutSaga.steps.find((x) => x.name === "shopify order")!;
    await step.compensation!(
      {
        shop: DEFAULT_SHOP,
        runId: "run-lost",
        input: { cartId: "c", expectedTotal: 0 },
        results: {},
        idempotencyKey: "run-lost:shopify order",
        attempt: 1,
        signal: new AbortController().signal,
      },
      undefined,
    );
    expect(lost.cancelledAt).not.toBeNull();
    // A checkout compensated while Shopify's search did not show its order yet: the reconciler cancels it.
    await t.db.sagaRun.create({
      data: {
        id: "run-orphan",
        shop: DEFAULT_SHOP,
        saga: "checkout",
        key: "cart-orphan",
        input: "{}",
        state: "compensated",
        failedStep: "shopify order",
        endedAt: new Date(),
      },
    });
    const orphan = orderMadeUnder("run-orphan:shopify order");
    expect(await reconcileCheckoutOrders(DEFAULT_SHOP)).toEqual([
      { kind: "order_without_payment", runId: "run-orphan", repair: `order gid://shopify/Order/${orphan.id} cancelled` },
    ]);
    expect(orphan.cancelledAt).not.toBeNull();
    expect(await reconcileCheckoutOrders(DEFAULT_SHOP)).toEqual([]);
  });

  it("after the capture the checkout only goes forward: a hold that expired meanwhile does not undo a paid order", async () => {
    const { cart, grandTotal } = await readyCart();
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
    const id = started.body.checkout.id as string;
    const piId = String(started.body.checkout.clientSecret).split("_secret_")[0];
    await t.db.hold.updateMany({ where: { ownerId: headlessCheckoutHoldOwner(id).id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await fetch(`${sim.url}/v1/payment_intents/${piId}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
      body: "payment_method=pm_card_visa",
    });
    const done = await until(
      () => api("GET", `/api/v1/checkouts/${id}`),
      (r) => ["completed", "failed"].includes(r.body.checkout.state),
    );
    expect(done.body.checkout.state).toBe("completed");
    expect(sim.paymentIntents.get(piId)!.status).toBe("succeeded");
    expect([...sim.refunds.values()].filter((r) => r.payment_intent === piId)).toEqual([]);
  });

  it("3-D Secure: a failed check is explained and keeps the hold; a passed one completes the checkout", async () => {
    const { cart, grandTotal } = await readyCart();
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
    const id = started.body.checkout.id as string;
    const piId = String(started.body.checkout.clientSecret).split("_secret_")[0];
    const confirm3ds = () =>
      fetch(`${sim.url}/v1/payment_intents/${piId}/confirm`, {
        method: "POST",
        headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
        body: "payment_method=pm_card_threeDSecure2Required",
      }).then((r) => r.json());
    expect((await confirm3ds()).status).toBe("requires_action");
    // The confirm hint while the bank's check is open changes nothing: not authorised yet.
    expect((await api("POST", `/api/v1/checkouts/${id}/confirm`, {}, { "Idempotency-Key": `hint1-${cart}` })).body.checkout.state).toBe("awaiting_payment");
    sim.authenticate(piId, "fail");
    const told = await until(
      () => api("GET", `/api/v1/checkouts/${id}`),
      (r) => Boolean(r.body.checkout.paymentError),
    );
    expect(told.body.checkout).toMatchObject({
      state: "awaiting_payment",
      paymentError: { code: "authentication_required", message: expect.stringMatching(/confirm this payment/) },
    });
    expect(await t.db.hold.count({ where: { ownerId: headlessCheckoutHoldOwner(id).id, state: { in: ["held", "extended"] } } })).toBe(1);
    // Again, and this time the shopper passes the check.
    expect((await confirm3ds()).status).toBe("requires_action");
    sim.authenticate(piId, "pass");
    const done = await until(
      () => api("GET", `/api/v1/checkouts/${id}`),
      (r) => r.body.checkout.state === "completed",
    );
    expect(done.body.checkout.paymentError).toBeUndefined();
    expect(sim.paymentIntents.get(piId)!.status).toBe("succeeded");
    expect(t.store.shop().orders.filter((o) => `gid://shopify/Order/${o.id}` === done.body.checkout.orderId)).toHaveLength(1);
  });

  it("a declined card keeps the checkout waiting with the hold; another card then completes it", async () => {
    const { cart, grandTotal } = await readyCart();
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
    const piId = String(started.body.checkout.clientSecret).split("_secret_")[0];
    const declined = await fetch(`${sim.url}/v1/payment_intents/${piId}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
      body: "payment_method=pm_card_chargeDeclinedInsufficientFunds",
    });
    expect(declined.status).toBe(402);
    // The shopper is told why, the hold stays, and the same PaymentIntent takes another card.
    const told = await until(
      () => api("GET", `/api/v1/checkouts/${started.body.checkout.id}`),
      (r) => Boolean(r.body.checkout.paymentError),
    );
    expect(told.body.checkout).toMatchObject({
      state: "awaiting_payment",
      clientSecret: started.body.checkout.clientSecret,
      paymentError: { code: "insufficient_funds", message: "Your card has insufficient funds. Try another card." },
    });
    expect(await t.db.hold.count({ where: { ownerId: headlessCheckoutHoldOwner(started.body.checkout.id).id, state: { in: ["held", "extended"] } } })).toBe(1);
    // Were the shopper to leave now, the decline is why the checkout was lost.
    expect(await t.db.cart.findUniqueOrThrow({ where: { id: cart } })).toMatchObject({ stage: "payment", lostReason: "payment_declined" });
    await fetch(`${sim.url}/v1/payment_intents/${piId}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
      body: "payment_method=pm_card_visa",
    });
    // The storefront's hint may arrive before the webhook: either moves it, once.
    await api("POST", `/api/v1/checkouts/${started.body.checkout.id}/confirm`, {}, { "Idempotency-Key": `hint-${cart}` });
    const done = await until(
      () => api("GET", `/api/v1/checkouts/${started.body.checkout.id}`),
      (r) => r.body.checkout.state === "completed",
    );
    expect(t.store.shop().orders.filter((o) => `gid://shopify/Order/${o.id}` === done.body.checkout.orderId)).toHaveLength(1);
    expect(sim.paymentIntents.get(piId)!.status).toBe("succeeded");
    expect(await t.db.cart.findUniqueOrThrow({ where: { id: cart } })).toMatchObject({ stage: "order", lostReason: null });
  });
});
