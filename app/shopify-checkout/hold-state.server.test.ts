// The hold state the validation Function reads (decision 021), from the ledger, through the
// checkout extension's hold route and the dev store's validation: what is free per variant
// anyone holds, the holds that ended early, the app's clock; written when it changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { checkoutExtensionClient, stockedVariants } from "../../test/fixtures";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
let state: typeof import("./hold-state.server");
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
  await t.install(DEFAULT_SHOP);
  await t.install(OTHER);
  state = await import("./hold-state.server");
});
afterAll(async () => t?.close());

const call = checkoutExtensionClient(
  () => t.url,
  (shop) => t.store.sessionToken(shop, { surface: "checkout" }),
  DEFAULT_SHOP,
);
const admin = async (shop = DEFAULT_SHOP) => (await t.shopify.unauthenticated.admin(shop)).admin;
const published = (shop = DEFAULT_SHOP) => {
  const m = t.store.state.shop(shop)!.validations[0]?.metafields.get(`app--${t.apiKey}.state`);
  return m && { type: m.type, value: JSON.parse(m.value) };
};

describe("the validation's hold state", () => {
  it("names each held variant with the units still free for a buyer with no hold, and nothing else", async () => {
    const [v] = stockedVariants(t.store.shop(), 3);
    const levels = t.store.shop().catalog.levels.filter((l) => l.inventoryItemId === v.inventoryItemId);
    const available = levels.reduce((n, l) => n + l.quantities.available, 0);
    const held = await call("POST", "/api/checkout/holds", { checkoutToken: "co_state", lines: [{ variantId: v.gid, quantity: 2 }] });
    expect(held.status).toBe(200);
    const s = await state.holdStateFor(DEFAULT_SHOP);
    expect(s).toMatchObject({ v: 1, enforce: true, ended: [], exemptProducts: [] });
    expect(Math.abs(s.asOf - Date.now() / 1000)).toBeLessThan(5);
    // Shopify's available (before the hold) at every location, less the 2 held; the same once
    // the mirror has moved them to reserved (available falls by what `mirrored` adds back).
    expect(s.free).toEqual({ [v.gid]: available - 2 });
    // Another shop's state says nothing of this shop's holds.
    expect((await state.holdStateFor(OTHER)).free).toEqual({});
  });

  it("exempts the products the merchant set to final check: Shopify's own stock check is theirs", async () => {
    const [v] = stockedVariants(t.store.shop(), 1);
    const productId = `gid://shopify/Product/${t.store.shop().catalog.variants.find((x) => x.id === v.id)!.productId}`;
    await t.db.holdStrategyOverride.create({ data: { shop: DEFAULT_SHOP, productId, strategy: "final_check" } });
    await t.db.holdStrategyOverride.create({ data: { shop: DEFAULT_SHOP, productId: "gid://shopify/Product/999999", strategy: "hybrid" } });
    expect((await state.holdStateFor(DEFAULT_SHOP)).exemptProducts).toEqual([productId]);
    expect((await state.holdStateFor(OTHER)).exemptProducts).toEqual([]);
    await t.db.holdStrategyOverride.deleteMany({ where: { shop: DEFAULT_SHOP } });
  });

  it("lists a hold that ended before its expiry, so a cart's claim on it no longer counts", async () => {
    const before = await state.holdStateFor(DEFAULT_SHOP);
    const released = await call("DELETE", "/api/checkout/holds/co_state");
    expect(released.body.hold.state).toBe("released");
    const after = await state.holdStateFor(DEFAULT_SHOP);
    expect(after.ended).toEqual([released.body.hold.id]);
    expect(Object.keys(after.free)).toEqual([]); // nobody holds it any more: not contested
    expect(Object.keys(before.free)).toHaveLength(1);
  });

  it("is written onto the shop's validation as $app:state (json), again only when it changed or a minute passed", async () => {
    state.forgetPublishedHoldStates();
    const [, v] = stockedVariants(t.store.shop(), 3);
    await call("POST", "/api/checkout/holds", { checkoutToken: "co_publish", lines: [{ variantId: v.gid, quantity: 1 }] });
    // The hold route answered only after the state with the new hold was written (decision 022).
    expect(published()?.value.free).toEqual((await state.holdStateFor(DEFAULT_SHOP)).free);
    state.forgetPublishedHoldStates();
    const now = new Date();
    expect(await state.publishHoldState(DEFAULT_SHOP, await admin(), { now })).toBe(true);
    const written = published();
    expect(written?.type).toBe("json");
    expect(written?.value).toEqual(await state.holdStateFor(DEFAULT_SHOP, now));
    expect(written?.value.free[v.gid]).toBeGreaterThanOrEqual(0);
    // Unchanged: not written again until the heartbeat is due.
    expect(await state.publishHoldState(DEFAULT_SHOP, await admin(), { now: new Date(now.getTime() + 10_000) })).toBe(false);
    expect(await state.publishHoldState(DEFAULT_SHOP, await admin(), { now: new Date(now.getTime() + 61_000) })).toBe(true);
    expect(published()?.value.asOf).toBe(Math.floor((now.getTime() + 61_000) / 1000));
    // A change is written at once.
    await call("DELETE", "/api/checkout/holds/co_publish");
    expect(await state.publishHoldState(DEFAULT_SHOP, await admin(), { now: new Date(now.getTime() + 62_000) })).toBe(true);
    expect(published()?.value.free).toEqual({});
  });
});
