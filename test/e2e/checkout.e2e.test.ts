// Issue 11, defect 1: under the production server the checkout API and every validly signed
// Stripe webhook answered 500 ("Response.json is not a function": remix-serve's fetch globals).
// Here a shopper checks out end to end against `npm start`: start, status, Stripe, confirm,
// the webhooks Stripe sends, and a signed event sent by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../dev-store/server";
import { startStack, storefront, type Stack } from "./stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => s?.close());
const api = storefront(() => s);

async function readyCart() {
  const { catalog } = s.store.shop();
  const level = catalog.levels.find((l) => l.quantities.available >= 5 && catalog.variants.some((v) => v.inventoryItemId === l.inventoryItemId))!;
  const variant = catalog.variants.find((v) => v.inventoryItemId === level.inventoryItemId)!;
  const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
  expect(
    (
      await api(
        "POST",
        `/api/v1/carts/${cart}/lines`,
        { variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity: 2 },
        { "Idempotency-Key": `l-${cart}` },
      )
    ).status,
  ).toBe(201);
  await api("PUT", `/api/v1/carts/${cart}/contact`, { email: "ann@example.com" });
  await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: { lastName: "Lee", address1: "1 Dock St", city: "Portland", country: "US" } });
  const rates = (await api("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.rates as { id: string }[];
  const chosen = await api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: rates[0].id });
  return { cart, grandTotal: chosen.body.totals.grandTotal as number };
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("checkout through the production server", () => {
  it("starts with a clientSecret, reads back, confirms, completes: one order, one capture; Stripe's webhooks are answered 2xx", async () => {
    const { cart, grandTotal } = await readyCart();
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": `co-${cart}` });
    expect(started.status, started.text).toBe(202);
    expect(started.body.checkout).toMatchObject({ cartId: cart, state: "awaiting_payment", clientSecret: expect.stringMatching(/_secret_/) });
    const id = started.body.checkout.id as string;
    const read = await api("GET", `/api/v1/checkouts/${id}`);
    expect(read.status, read.text).toBe(200);
    expect(read.body.checkout.clientSecret).toBe(started.body.checkout.clientSecret);

    // The browser confirms with Stripe (Payment Element), then tells us.
    const pi = String(started.body.checkout.clientSecret).split("_secret_")[0];
    const confirmedWithStripe = await fetch(`${s.sim.url}/v1/payment_intents/${pi}/confirm`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_browser", "Content-Type": "application/x-www-form-urlencoded" },
      body: "payment_method=pm_card_visa",
    });
    expect(confirmedWithStripe.status).toBe(200);
    const confirmed = await api("POST", `/api/v1/checkouts/${id}/confirm`, {}, { "Idempotency-Key": `cf-${id}` });
    expect(confirmed.status, confirmed.text).toBe(200);
    const done = await until(
      () => api("GET", `/api/v1/checkouts/${id}`),
      (r) => ["completed", "failed"].includes(r.body.checkout?.state),
      "the checkout to end",
    );
    expect(done.body.checkout.state).toBe("completed");
    expect(s.sim.paymentIntents.get(pi)).toMatchObject({ status: "succeeded", amount_received: grandTotal });
    expect(s.store.shop().orders.filter((o) => o.sourceIdentifier === `${id}:shopify order`)).toHaveLength(1);

    // Every event Stripe sent about this payment reached the app and was answered 2xx, first time.
    const deliveries = await until(
      async () => s.sim.deliveries.filter((d) => s.sim.events.some((e) => e.id === d.eventId && JSON.stringify(e).includes(pi))),
      (d) => d.length >= 2 && d.every((x) => x.delivered),
      "Stripe's deliveries",
    );
    for (const d of deliveries) expect(d.statuses, d.type).toEqual([200]);
    // Shopify's webhooks about the order and the stock it took reached the app and were processed.
    const shopify = await until(
      async () => s.store.webhooks.deliveries.filter((d) => d.topic === "orders/create" || d.topic === "inventory_levels/update"),
      (d) => d.length >= 2 && d.every((x) => x.delivered),
      "Shopify's deliveries",
    );
    for (const d of shopify)
      expect(
        d.attempts.map((a) => a.status),
        d.topic,
      ).toEqual([200]);
  });

  it("answers a validly signed Stripe event with 200 JSON, and a duplicate as one", async () => {
    const event = {
      id: "evt_e2e_unrelated",
      object: "event",
      type: "customer.created",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "cus_1", object: "customer" } },
      livemode: false,
      api_version: "2026-10-28.endive",
    };
    const payload = JSON.stringify(event);
    const send = () =>
      fetch(`${s.url}/webhooks/stripe`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Stripe-Signature": s.sim.sign(payload, s.env.STRIPE_WEBHOOK_SECRET), "User-Agent": "Stripe/1.0" },
        body: payload,
      });
    const first = await send();
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toMatchObject({ received: true });
    const again = await send();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ received: true, duplicate: true });
    // A bad signature changes nothing and says so.
    const forged = await fetch(`${s.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": "t=1,v1=00" },
      body: payload,
    });
    expect(forged.status).toBe(400);
  });

  it("refuses a checkout without an Idempotency-Key, or with an empty one, with a JSON 400 and starts nothing", async () => {
    const { cart, grandTotal } = await readyCart();
    const runs = await s.db.sagaRun.count({ where: { shop: DEFAULT_SHOP } });
    const none = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal });
    expect(none).toBeApiError(400, "idempotency_key_required");
    const empty = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: grandTotal }, { "Idempotency-Key": "" });
    expect(empty).toBeApiError(400, "invalid_idempotency_key");
    expect(await s.db.sagaRun.count({ where: { shop: DEFAULT_SHOP } })).toBe(runs);
  });
});
