import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
  await t.install(DEFAULT_SHOP);
  await t.install(OTHER);
});
afterAll(async () => t?.close());

const save = (fields: Record<string, string>, shop = DEFAULT_SHOP) =>
  t.adminFetch("/app/settings", { method: "POST", body: new URLSearchParams(fields), shop });
const stored = (shop = DEFAULT_SHOP) => t.db.shop.findUnique({ where: { domain: shop }, select: { holdTtlMinutes: true, holdStrategy: true } });

describe("hold policy settings", () => {
  it("defaults to 15 minutes, reserving at checkout start", async () => {
    const res = await t.adminFetch("/app/settings");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      validation: { mode: "allow", state: "on" },
      policy: { holdTtlMinutes: 15, holdStrategy: "checkout_start" },
      overrides: [],
      totalsMode: "sync",
      totalsModes: expect.arrayContaining([{ value: "events", label: expect.any(String) }]),
      checkoutRequiresPhone: false,
    });
  });

  it("saves a valid policy for this shop only", async () => {
    const res = await save({ holdTtlMinutes: "12", holdStrategy: "hybrid" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ saved: true });
    expect(await stored()).toEqual({ holdTtlMinutes: 12, holdStrategy: "hybrid" });
    expect(await stored(OTHER)).toEqual({ holdTtlMinutes: 15, holdStrategy: "checkout_start" });
  });

  it.each([
    [{ holdTtlMinutes: "9", holdStrategy: "hybrid" }, "holdTtlMinutes", /from 10 to 20/],
    [{ holdTtlMinutes: "21", holdStrategy: "hybrid" }, "holdTtlMinutes", /from 10 to 20/],
    [{ holdTtlMinutes: "12.5", holdStrategy: "hybrid" }, "holdTtlMinutes", /whole number/],
    [{ holdTtlMinutes: "soon", holdStrategy: "hybrid" }, "holdTtlMinutes", /whole number/],
    [{ holdTtlMinutes: "", holdStrategy: "hybrid" }, "holdTtlMinutes", /whole number/],
    [{ holdTtlMinutes: "12", holdStrategy: "first_come" }, "holdStrategy", /checkout_start, final_check, add_to_cart, hybrid/],
    [{ holdTtlMinutes: "12" }, "holdStrategy", /Strategy must be one of/],
  ])("refuses %j with a clear message and saves nothing", async (fields, field, message) => {
    const before = await stored();
    const res = await save(fields as Record<string, string>);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.saved).toBe(false);
    expect(body.errors[field]).toMatch(message);
    expect(await stored()).toEqual(before);
  });

  it("adds per-product overrides for products Shopify knows, and removes them", async () => {
    const product = t.store.shop().catalog.products[3];
    const unknown = await save({ intent: "add_override", productId: "999999", strategy: "hybrid" });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors.productId).toBe("Shopify has no product gid://shopify/Product/999999 in this shop");
    const bad = await save({ intent: "add_override", productId: "a shoe", strategy: "sometimes" });
    expect((await bad.json()).errors).toMatchObject({
      productId: expect.stringContaining("Product gid"),
      strategy: expect.stringContaining("Strategy must be one of"),
    });
    expect(await t.db.holdStrategyOverride.count()).toBe(0);

    expect((await save({ intent: "add_override", productId: String(product.id), strategy: "final_check" })).status).toBe(200);
    const listed = await (await t.adminFetch("/app/settings")).json();
    expect(listed.overrides).toEqual([{ productId: `gid://shopify/Product/${product.id}`, strategy: "final_check", title: product.title }]);
    // Another shop sees none of them.
    expect((await (await t.adminFetch("/app/settings", { shop: OTHER })).json()).overrides).toEqual([]);
    await save({ intent: "remove_override", productId: `gid://shopify/Product/${product.id}` });
    expect(await t.db.holdStrategyOverride.count()).toBe(0);
  });

  it("refuses a request without a valid session token", async () => {
    const res = await fetch(`${t.url}/app/settings?shop=${DEFAULT_SHOP}`, {
      method: "POST",
      body: new URLSearchParams({ holdTtlMinutes: "20", holdStrategy: "final_check" }),
      headers: { Authorization: "Bearer not-a-token", "User-Agent": "Mozilla/5.0 (Holdfast tests)" },
    });
    expect(res.status).toBe(401);
    expect((await stored())?.holdTtlMinutes).not.toBe(20);
  });
});
