import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { BROWSER_UA, checkoutExtensionClient } from "../../test/fixtures";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
  await t.install(DEFAULT_SHOP);
  await t.install(OTHER);
});
afterAll(async () => t?.close());

const call = checkoutExtensionClient(
  () => t.url,
  (shop) => t.store.sessionToken(shop, { surface: "checkout" }),
  DEFAULT_SHOP,
);

/** A variant with stock at an online location, and what is available there in total. */
function variantWithStock(min: number, skip = new Set<number>()) {
  const { catalog } = t.store.shop();
  const v = catalog.variants.find(
    (x) => !skip.has(x.id) && catalog.levels.some((l) => l.inventoryItemId === x.inventoryItemId && l.quantities.available >= min),
  )!;
  skip.add(v.id);
  const level = catalog.levels.filter((l) => l.inventoryItemId === v.inventoryItemId).sort((a, b) => b.quantities.available - a.quantities.available)[0];
  return { variantId: `gid://shopify/ProductVariant/${v.id}`, variant: v, level };
}
const used = new Set<number>();

describe("checkout hold routes", () => {
  it("create, read with the server's clock, refresh, and release a checkout's hold", async () => {
    const { variantId, level } = variantWithStock(2, used);
    const created = await call("POST", "/api/checkout/holds", { checkoutToken: "co_1", lines: [{ variantId, quantity: 2 }] });
    expect(created.status).toBe(200);
    expect(created.headers.get("access-control-allow-origin")).toBe("*");
    expect(created.body.hold).toMatchObject({ kind: "hard", state: "held", owner: { type: "checkout", id: "co_1" } });
    expect(created.body.hold.lines).toEqual([
      { inventoryItemId: `gid://shopify/InventoryItem/${level.inventoryItemId}`, locationId: `gid://shopify/Location/${level.locationId}`, quantity: 2 },
    ]);
    expect(created.body.hold.remainingSeconds).toBeGreaterThan(14 * 60);

    const read = await call("GET", "/api/checkout/holds/co_1");
    expect(read.status).toBe(200);
    expect(Math.abs(Date.parse(read.body.hold.serverTime) - Date.now())).toBeLessThan(5000);
    const again = await call("POST", "/api/checkout/holds", { checkoutToken: "co_1", lines: [{ variantId, quantity: 2 }] });
    expect(again.body.hold.id).toBe(created.body.hold.id);

    const released = await call("DELETE", "/api/checkout/holds/co_1");
    expect(released.body.hold.state).toBe("released");
    expect((await call("GET", "/api/checkout/holds/co_1")).body.hold).toMatchObject({ state: "released", remainingSeconds: 0 });
  });

  it("answers 409 naming what is available when stock is short, and holds nothing", async () => {
    const { variantId, level } = variantWithStock(1, used);
    const total = t.store
      .shop()
      .catalog.levels.filter((l) => l.inventoryItemId === level.inventoryItemId)
      .reduce((m, l) => Math.max(m, l.quantities.available), 0);
    const res = await call("POST", "/api/checkout/holds", { checkoutToken: "co_short", lines: [{ variantId, quantity: total + 1 }] });
    expect(res).toBeApiError(409, "unavailable");
    expect(res.body.lines[0]).toMatchObject({ variantId, quantity: total + 1, available: total });
    expect(res.body.error.message).toContain(`${total} of ${total + 1} available`);
    expect((await call("GET", "/api/checkout/holds/co_short")).status).toBe(404);
  });

  it.each([
    ["invalid JSON", { raw: "{" }, 400, "invalid_json"],
    [
      "a zero quantity",
      { body: { checkoutToken: "co_bad", lines: [{ variantId: "gid://shopify/ProductVariant/40001", quantity: 0 }] } },
      400,
      "invalid_request",
    ],
    ["a missing checkout token", { body: { lines: [{ variantId: "gid://shopify/ProductVariant/40001", quantity: 1 }] } }, 400, "invalid_request"],
    ["a variant that is not a gid", { body: { checkoutToken: "co_bad", lines: [{ variantId: "40001", quantity: 1 }] } }, 400, "invalid_request"],
    [
      "an unknown variant",
      { body: { checkoutToken: "co_bad", lines: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1 }] } },
      422,
      "unknown_variants",
    ],
  ])("refuses %s with a reason and holds nothing", async (_name, input, status, code) => {
    const before = await t.db.hold.count();
    const res = await call("POST", "/api/checkout/holds", (input as { body?: unknown }).body, { raw: (input as { raw?: string }).raw });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await t.db.hold.count()).toBe(before);
  });

  it("refuses requests without a valid checkout session token", async () => {
    expect((await call("POST", "/api/checkout/holds", { checkoutToken: "x", lines: [] }, { token: null })).status).toBe(401);
    const { mintSessionToken } = await import("../../test/dev-store/session-tokens");
    const forged = await mintSessionToken({ apiKey: t.apiKey, apiSecret: "nope", shop: DEFAULT_SHOP, surface: "checkout" });
    expect((await call("GET", "/api/checkout/holds/co_1", undefined, { token: forged })).status).toBe(401);
  });

  it("answers the CORS preflight", async () => {
    const res = await fetch(`${t.url}/api/checkout/holds`, {
      method: "OPTIONS",
      headers: { "User-Agent": BROWSER_UA, Origin: "https://extensions.shopifycdn.com", "Access-Control-Request-Method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it("one shop cannot read or release another shop's checkout hold", async () => {
    const { variantId } = variantWithStock(1, used);
    expect((await call("POST", "/api/checkout/holds", { checkoutToken: "co_private", lines: [{ variantId, quantity: 1 }] })).status).toBe(200);
    expect((await call("GET", "/api/checkout/holds/co_private", undefined, { shop: OTHER })).status).toBe(404);
    expect((await call("DELETE", "/api/checkout/holds/co_private", undefined, { shop: OTHER })).status).toBe(404);
    expect((await call("GET", "/api/checkout/holds/co_private")).body.hold.state).toBe("held");
  });

  it("follows the product's strategy: final check holds nothing at checkout start", async () => {
    const { variantId, variant } = variantWithStock(1, used);
    await t.db.holdStrategyOverride.create({ data: { shop: DEFAULT_SHOP, productId: `gid://shopify/Product/${variant.productId}`, strategy: "final_check" } });
    const res = await call("POST", "/api/checkout/holds", { checkoutToken: "co_final", lines: [{ variantId, quantity: 1 }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ hold: null, strategy: "none" });
    await t.db.holdStrategyOverride.deleteMany({ where: { shop: DEFAULT_SHOP } });
  });
});

describe("more time for the shopper", () => {
  it("extends a live hold once, by the shop's policy, and says why it cannot again", async () => {
    const { variantId } = variantWithStock(1, used);
    const created = await call("POST", "/api/checkout/holds", { checkoutToken: "co_more", lines: [{ variantId, quantity: 1 }] });
    expect(created.body.hold.state).toBe("held");
    // Near its end, as when the extension offers more time.
    await t.db.hold.update({ where: { id: created.body.hold.id }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    const extended = await call("POST", "/api/checkout/holds/co_more/extend");
    expect(extended.status).toBe(200);
    expect(extended.body.hold).toMatchObject({ id: created.body.hold.id, state: "extended", extended: true });
    expect(extended.body.hold.remainingSeconds).toBeGreaterThan(9 * 60);
    expect(await call("POST", "/api/checkout/holds/co_more/extend")).toBeApiError(409, "already_extended");
    expect(await call("POST", "/api/checkout/holds/co_none/extend")).toBeApiError(404, "not_found");
    expect(await call("POST", "/api/checkout/holds/co_more/extend", undefined, { token: null })).toMatchObject({ status: 401 });
    expect(await call("POST", "/api/checkout/holds/co_more/extend", undefined, { shop: OTHER })).toBeApiError(404, "not_found");
  });
});

describe("orders/create", () => {
  it("commits the checkout's hold once, and ignores orders without one; nothing is ever moved to Shopify's reserved", async () => {
    const { variantId } = variantWithStock(1, used);
    const created = await call("POST", "/api/checkout/holds", { checkoutToken: "co_order", lines: [{ variantId, quantity: 1 }] });
    expect(created.body.hold).toMatchObject({ state: "held", kind: "hard" });
    // The mirror worker runs: a hold for Shopify's checkout stays `available` in Shopify (decision 021).
    const { queueReserves } = await import("../holds/mirror.server");
    await queueReserves();
    expect(await t.db.hold.findUniqueOrThrow({ where: { id: created.body.hold.id } })).toMatchObject({ shopifyReserve: false, reservePending: false });
    const order = { id: 5550001, checkout_token: "co_order", line_items: [] };
    const [first] = await t.store.sendWebhook(DEFAULT_SHOP, "orders/create", order);
    expect(first.delivered).toBe(true);
    const after = await call("GET", "/api/checkout/holds/co_order");
    expect(after.body?.hold?.state, JSON.stringify(after.body)).toBe("committed");
    const [second] = await t.store.sendWebhook(DEFAULT_SHOP, "orders/create", order);
    expect(second.delivered).toBe(true);
    const events = await t.db.holdEvent.findMany({ where: { holdId: created.body.hold.id, toState: "committed" } });
    expect(events.map((e) => e.reason)).toEqual(["order 5550001 placed"]);
    expect(await t.db.hold.findUniqueOrThrow({ where: { id: created.body.hold.id } })).toMatchObject({ orderId: "gid://shopify/Order/5550001" });
    expect(await t.db.shopifyInventoryMove.count({ where: { holdId: created.body.hold.id } })).toBe(0);
    const [posOrder] = await t.store.sendWebhook(DEFAULT_SHOP, "orders/create", { id: 5550002, checkout_token: null });
    expect(posOrder.delivered).toBe(true);
  });

  it("the theme's hold (by cart token) is committed by the order that carries the cart's token", async () => {
    const { variantId } = variantWithStock(1, used);
    const { holdForShopifyCheckout } = await import("./holds.server");
    const { shopifyCartHoldOwner } = await import("../holds/owners");
    const admin = (await t.shopify.unauthenticated.admin(DEFAULT_SHOP)).admin;
    const held = await holdForShopifyCheckout(DEFAULT_SHOP, admin, shopifyCartHoldOwner("c1-cartorder"), [{ variantId, quantity: 1 }]);
    expect(held.status).toBe(200);
    const [delivery] = await t.store.sendWebhook(DEFAULT_SHOP, "orders/create", { id: 5550003, checkout_token: "co_unrelated", cart_token: "c1-cartorder" });
    expect(delivery.delivered).toBe(true);
    const hold = await t.db.hold.findFirstOrThrow({ where: { ownerId: "cart-c1-cartorder" } });
    expect(hold).toMatchObject({ state: "committed", stateReason: "order 5550003 placed", orderId: "gid://shopify/Order/5550003", units: 1 });
  });
});
