import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { webhookHmac } from "../../test/dev-store/webhooks";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await t.install(DEFAULT_SHOP);
  await t.install(OTHER);
});

/** A delivery to the app signed as Shopify signs it, with the secret or not. */
async function deliver(path: string, topic: string, payload: unknown, o: { secret?: string; webhookId?: string; shop?: string } = {}) {
  const body = JSON.stringify(payload);
  return fetch(`${t.url}${path}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": o.shop ?? DEFAULT_SHOP,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": o.webhookId ?? crypto.randomUUID(),
      "X-Shopify-Event-Id": crypto.randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": webhookHmac(body, o.secret ?? t.apiSecret),
    },
  });
}

const dataRequest = (id: number, customerId = 42, email = "ann@example.com") => ({
  shop_id: 1,
  shop_domain: DEFAULT_SHOP,
  orders_requested: [1001],
  customer: { id: customerId, email, phone: null },
  data_request: { id },
});

describe("webhooks", () => {
  it("uninstall from the dev store: HMAC verified, sessions deleted, shop marked", async () => {
    const [delivery] = await t.store.uninstall(DEFAULT_SHOP);
    expect(delivery.uri).toBe(`${t.url}/webhooks/app/uninstalled`);
    expect(delivery.delivered).toBe(true);
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(await t.db.session.count({ where: { shop: DEFAULT_SHOP } })).toBe(0);
    expect((await t.db.shop.findUnique({ where: { domain: DEFAULT_SHOP } }))?.uninstalledAt).toBeInstanceOf(Date);
    // The other shop is untouched.
    expect(await t.db.session.count({ where: { shop: OTHER } })).toBe(1);
    expect((await t.db.shop.findUnique({ where: { domain: OTHER } }))?.uninstalledAt).toBeNull();
    const event = await t.db.webhookEvent.findFirst({ where: { webhookId: delivery.webhookId } });
    expect(event).toMatchObject({ shop: DEFAULT_SHOP, topic: "APP_UNINSTALLED", outcome: "processed", attempts: 1 });
    expect(event?.processedAt).toBeInstanceOf(Date);
  });

  it("a bad HMAC gets 401 and changes nothing", async () => {
    const before = await t.db.webhookEvent.count();
    const res = await deliver("/webhooks/app/uninstalled", "app/uninstalled", { id: 1 }, { secret: "wrong-secret" });
    expect(res.status).toBe(401);
    expect(await t.db.session.count({ where: { shop: DEFAULT_SHOP } })).toBe(1);
    expect((await t.db.shop.findUnique({ where: { domain: DEFAULT_SHOP } }))?.uninstalledAt).toBeNull();
    expect(await t.db.webhookEvent.count()).toBe(before);
  });

  it("a delivery seen before is acknowledged and not processed again", async () => {
    const webhookId = crypto.randomUUID();
    const first = await deliver("/webhooks/customers/data_request", "customers/data_request", dataRequest(501), { webhookId });
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Holdfast-Delivery")).toBe("processed");
    // The customer's record was erased in between; a replayed delivery must not recreate it.
    await t.db.customerDataRequest.deleteMany({ where: { dataRequestId: "501" } });
    const again = await deliver("/webhooks/customers/data_request", "customers/data_request", dataRequest(501), { webhookId });
    expect(again.status).toBe(200);
    expect(again.headers.get("X-Holdfast-Delivery")).toBe("duplicate");
    expect(await t.db.customerDataRequest.count({ where: { dataRequestId: "501" } })).toBe(0);
    expect(await t.db.webhookEvent.count({ where: { webhookId } })).toBe(1);
  });

  it("concurrent copies of one delivery are processed exactly once", async () => {
    const webhookId = crypto.randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => deliver("/webhooks/customers/data_request", "customers/data_request", dataRequest(777), { webhookId })),
    );
    const outcomes = responses.map((r) => r.headers.get("X-Holdfast-Delivery") ?? String(r.status));
    expect(outcomes.filter((o) => o === "processed")).toHaveLength(1);
    expect(outcomes.every((o) => ["processed", "duplicate", "409"].includes(o))).toBe(true);
    expect(await t.db.customerDataRequest.count({ where: { dataRequestId: "777" } })).toBe(1);
  });

  it("a failed delivery is retried by Shopify and then processed", async () => {
    const webhookId = crypto.randomUUID();
    const bad = await deliver("/webhooks/customers/data_request", "customers/data_request", { customer: {} }, { webhookId });
    expect(bad.status).toBe(400);
    expect(await t.db.webhookEvent.findFirst({ where: { webhookId } })).toMatchObject({ outcome: "failed" });
    const good = await deliver("/webhooks/customers/data_request", "customers/data_request", dataRequest(888), { webhookId });
    expect(good.status).toBe(200);
    expect(await t.db.webhookEvent.findFirst({ where: { webhookId } })).toMatchObject({ outcome: "processed", attempts: 2 });
  });

  it("a delivery to the wrong endpoint is refused and changes nothing", async () => {
    const res = await deliver("/webhooks/shop/redact", "customers/redact", { customer: { id: 42 } });
    expect(res.status).toBe(400);
    expect(await t.db.shop.count({ where: { domain: DEFAULT_SHOP } })).toBe(1);
  });

  it("the dev store retries a delivery the app answers with a non-2xx", async () => {
    const delivery = await t.store.webhooks.send(DEFAULT_SHOP, "customers/data_request", `${t.url}/not-a-route`, dataRequest(1));
    await t.store.webhooks.settle();
    expect(delivery.delivered).toBe(false);
    expect(delivery.attempts.length).toBe(3); // first try plus two retries (test delays)
    expect(delivery.attempts.every((a) => a.status === 404)).toBe(true);
  });

  it("customers/data_request records the request; customers/redact erases that customer only", async () => {
    await t.store.sendWebhook(DEFAULT_SHOP, "customers/data_request", dataRequest(9001, 42, "ann@example.com"));
    await t.store.sendWebhook(DEFAULT_SHOP, "customers/data_request", dataRequest(9002, 43, "bob@example.com"));
    await t.store.sendWebhook(OTHER, "customers/data_request", { ...dataRequest(9003, 42, "ann@example.com"), shop_domain: OTHER });
    const rows = await t.db.customerDataRequest.findMany({ where: { dataRequestId: { in: ["9001", "9002", "9003"] } } });
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.dataRequestId === "9001")).toMatchObject({
      shop: DEFAULT_SHOP,
      customerId: "42",
      email: "ann@example.com",
      ordersRequested: '["1001"]',
    });

    const [redact] = await t.store.sendWebhook(DEFAULT_SHOP, "customers/redact", {
      shop_domain: DEFAULT_SHOP,
      customer: { id: 42, email: "ann@example.com" },
      orders_to_redact: [],
    });
    expect(redact.delivered).toBe(true);
    const left = await t.db.customerDataRequest.findMany({ where: { dataRequestId: { in: ["9001", "9002", "9003"] } } });
    expect(left.map((r) => r.dataRequestId).sort()).toEqual(["9002", "9003"]);
  });

  it("shop/redact erases everything Holdfast holds for that shop and nothing of another", async () => {
    await t.store.sendWebhook(DEFAULT_SHOP, "customers/data_request", dataRequest(9100));
    await t.store.sendWebhook(OTHER, "customers/data_request", { ...dataRequest(9101), shop_domain: OTHER });
    const [redact] = await t.store.sendWebhook(DEFAULT_SHOP, "shop/redact", { shop_id: 1, shop_domain: DEFAULT_SHOP });
    expect(redact.delivered).toBe(true);
    expect(await t.db.session.count({ where: { shop: DEFAULT_SHOP } })).toBe(0);
    expect(await t.db.shop.count({ where: { domain: DEFAULT_SHOP } })).toBe(0);
    expect(await t.db.customerDataRequest.count({ where: { shop: DEFAULT_SHOP } })).toBe(0);
    // Only the record of the erasure itself remains.
    expect(await t.db.webhookEvent.findMany({ where: { shop: DEFAULT_SHOP }, select: { topic: true } })).toEqual([{ topic: "SHOP_REDACT" }]);
    expect(await t.db.session.count({ where: { shop: OTHER } })).toBe(1);
    expect(await t.db.customerDataRequest.count({ where: { shop: OTHER } })).toBeGreaterThan(0);
  });

  it("app/scopes_update records the shop's current scopes", async () => {
    const [d] = await t.store.sendWebhook(DEFAULT_SHOP, "app/scopes_update", {
      id: 1,
      previous: ["read_products"],
      current: ["read_products", "write_inventory"],
      updated_at: new Date().toISOString(),
    });
    expect(d.delivered).toBe(true);
    expect((await t.db.shop.findUnique({ where: { domain: DEFAULT_SHOP } }))?.scopes).toBe("read_products,write_inventory");
    expect((await t.db.session.findFirst({ where: { shop: DEFAULT_SHOP } }))?.scope).toBe("read_products,write_inventory");
  });

  it("shop/update (a plan change, say) switches the stock check back on when it is missing, and changes nothing when it is there", async () => {
    const shop = t.store.shop(DEFAULT_SHOP);
    shop.validations.length = 0;
    const update = { id: shop.id, name: shop.name, plan_name: "shopify_plus", plan_display_name: "Shopify Plus" };
    const [d] = await t.store.sendWebhook(DEFAULT_SHOP, "shop/update", update);
    expect(d.delivered).toBe(true);
    expect(shop.validations).toHaveLength(1);
    const created = shop.validations[0];
    const [again] = await t.store.sendWebhook(DEFAULT_SHOP, "shop/update", { ...update, name: "Renamed" });
    expect(again.delivered).toBe(true);
    expect(shop.validations).toEqual([created]);
  });

  it("app/scopes_update granting write_validations switches the stock check on when it is missing", async () => {
    const shop = t.store.shop(DEFAULT_SHOP);
    shop.validations.length = 0; // as if Shopify had refused it at install
    const [d] = await t.store.sendWebhook(DEFAULT_SHOP, "app/scopes_update", {
      id: 2,
      previous: ["read_products"],
      current: ["read_products", "write_validations"],
      updated_at: new Date().toISOString(),
    });
    expect(d.delivered).toBe(true);
    expect(shop.validations).toHaveLength(1);
    expect(shop.validations[0]).toMatchObject({ functionHandle: "holdfast-validation", enabled: true });
  });
});
