import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

// Shops of their own, so shipping rates, tax rules and shop settings do not leak into other tests.
const SHOP = "discount-shop.myshopify.com";
const EU_SHOP = "eu-shop.myshopify.com";
const NO_SCOPE = "no-discount-scope.myshopify.com";
let t: TestApp;
let carts: typeof import("./carts.server");
let discounts: typeof import("./discounts.server");

beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, SHOP, EU_SHOP, NO_SCOPE] });
  t.store.state.shop(EU_SHOP)!.taxesIncluded = true;
  t.store.state.shop(EU_SHOP)!.currencyCode = "EUR";
  for (const shop of [SHOP, EU_SHOP]) await t.install(shop);
  carts = await import("./carts.server");
  discounts = await import("./discounts.server");
  const { createShippingRate } = await import("./shipping.server");
  await createShippingRate(SHOP, { kind: "flat", title: "Standard", amount: 700 });
});
afterAll(async () => t?.close());

const catalog = (shop = SHOP) => t.store.state.shop(shop)!.catalog;
const gid = (v: { id: number }) => `gid://shopify/ProductVariant/${v.id}`;
/** A stocked variant of a product that no seeded product discount names. */
const plain = (i: number, shop = SHOP) => {
  const c = catalog(shop);
  const entitled = new Set(c.products.slice(0, 2).map((p) => p.id));
  return c.variants.filter((v) => !entitled.has(v.productId) && c.levels.some((l) => l.inventoryItemId === v.inventoryItemId && l.quantities.available > 0))[i];
};
const cents = (v: { price: string }) => Number(v.price.replace(".", ""));

async function cartWith(lines: { variant: { id: number }; quantity: number }[], shop = SHOP, currency = "USD") {
  const { cart } = await carts.getOrCreateCart(shop, null, currency);
  for (const l of lines) await carts.addLine(shop, cart.id, { variantId: gid(l.variant), quantity: l.quantity });
  return cart.id;
}

describe("discount codes from the shop's Shopify discounts", () => {
  it("applies a percentage off the order (any case), explained line by line", async () => {
    const a = plain(0);
    const b = plain(1);
    const id = await cartWith([
      { variant: a, quantity: 2 },
      { variant: b, quantity: 1 },
    ]);
    await carts.applyDiscountCode(SHOP, id, { code: " welcome10 " });
    const totals = await carts.cartTotals(SHOP, id);
    const subtotal = cents(a) * 2 + cents(b);
    expect(totals.subtotal).toBe(subtotal);
    // 10% off, allocated over the lines; the allocation sums to the discount exactly.
    const expected = Number((BigInt(subtotal) * 10n + 50n) / 100n);
    expect(totals.discounts).toBe(expected);
    const shares = totals.adjustments.filter((x) => x.source === "discount:WELCOME10");
    expect(shares).toHaveLength(2);
    expect(shares.reduce((s, x) => s + x.amount, 0)).toBe(-expected);
    expect(totals.discountCodes).toEqual([{ code: "WELCOME10", title: "10% off your order", applied: true }]);
    expect(totals.grandTotal).toBe(subtotal - expected);
  });

  it("refuses unknown, expired, used-up, customer-only and unsupported codes, changing nothing", async () => {
    const id = await cartWith([{ variant: plain(0), quantity: 1 }]);
    const before = await t.db.cart.findUniqueOrThrow({ where: { id } });
    for (const [code, refusal] of [
      ["NOPE", "discount_code_unknown"],
      ["SUMMER25", "discount_code_inactive"],
      ["ONCEONLY", "discount_code_used_up"],
      ["VIPONLY", "discount_code_not_eligible"],
      ["BUY2GET1", "discount_code_not_supported"],
    ] as const)
      await expect(carts.applyDiscountCode(SHOP, id, { code })).rejects.toMatchObject({ status: 422, code: refusal });
    await expect(carts.applyDiscountCode(SHOP, id, { code: "" })).rejects.toMatchObject({ status: 400 });
    await expect(carts.applyDiscountCode(SHOP, id, { code: 42 })).rejects.toMatchObject({ status: 400 });
    expect(await t.db.cart.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it("keeps a code whose minimum is not met yet, says why, and applies it once the cart qualifies", async () => {
    const cheap = catalog().variants.find(
      (v) =>
        cents(v) < 5000 &&
        !catalog()
          .products.slice(0, 2)
          .some((p) => p.id === v.productId),
    )!;
    const id = await cartWith([{ variant: cheap, quantity: 1 }]);
    await carts.applyDiscountCode(SHOP, id, { code: "TAKE5" });
    let totals = await carts.cartTotals(SHOP, id);
    expect(totals.discounts).toBe(0);
    expect(totals.discountCodes).toEqual([
      { code: "TAKE5", title: "5 off orders of 50 or more", applied: false, reason: "Spend 50.00 USD or more to use this code" },
    ]);
    const line = (await carts.listLines(SHOP, id))[0];
    await carts.updateLineQuantity(SHOP, id, line.id, Math.ceil(5000 / cents(cheap)));
    totals = await carts.cartTotals(SHOP, id);
    expect(totals.discounts).toBe(500);
    expect(totals.discountCodes[0]).toMatchObject({ applied: true });
  });

  it("a product discount reaches only the entitled lines; an amount per item counts each unit", async () => {
    const [first] = catalog().products;
    const entitled = catalog().variants.find((v) => v.productId === first.id)!;
    const other = plain(2);
    const id = await cartWith([
      { variant: entitled, quantity: 3 },
      { variant: other, quantity: 1 },
    ]);
    await carts.applyDiscountCode(SHOP, id, { code: "DECK20" });
    let totals = await carts.cartTotals(SHOP, id);
    const lines = await carts.listLines(SHOP, id);
    const entitledLine = lines.find((l) => l.variantId === gid(entitled))!;
    expect(totals.adjustments.filter((a) => a.source === "discount:DECK20").map((a) => a.lineId)).toEqual([entitledLine.id]);
    expect(totals.discounts).toBe(Number((BigInt(cents(entitled) * 3) * 20n + 50n) / 100n));
    // DECK20 does not combine with other product discounts.
    await expect(carts.applyDiscountCode(SHOP, id, { code: "TWOOFF" })).rejects.toMatchObject({ status: 409, code: "discount_code_not_combinable" });
    await carts.removeDiscountCode(SHOP, id, "deck20");
    await carts.applyDiscountCode(SHOP, id, { code: "TWOOFF" });
    totals = await carts.cartTotals(SHOP, id);
    expect(totals.discounts).toBe(entitled.id === first.variantIds[0] ? 600 : 0);
    await expect(carts.removeDiscountCode(SHOP, id, "DECK20")).rejects.toMatchObject({ status: 404, code: "discount_code_not_applied" });
  });

  it("reads every page of a discount's entitled variants", async () => {
    const shop = t.store.state.shop(SHOP)!;
    const all = shop.catalog.variants.map((v) => v.id);
    expect(all.length).toBeGreaterThan(50); // three pages of 25
    shop.discounts.push({
      ...shop.discounts.find((d) => d.code === "DECK20")!,
      id: 99,
      code: "EVERYTHING5",
      title: "5% off every variant",
      value: { percentage: 0.05 },
      productIds: [],
      variantIds: all,
    });
    const last = shop.catalog.variants
      .filter((v) => shop.catalog.levels.some((l) => l.inventoryItemId === v.inventoryItemId && l.quantities.available > 0))
      .at(-1)!;
    expect(all.indexOf(last.id)).toBeGreaterThanOrEqual(50);
    const id = await cartWith([{ variant: last, quantity: 1 }]);
    await carts.applyDiscountCode(SHOP, id, { code: "everything5" });
    expect((await carts.cartTotals(SHOP, id)).discounts).toBe(Number((BigInt(cents(last)) * 5n + 50n) / 100n));
  });

  it("two order discounts that do not combine are refused", async () => {
    const id = await cartWith([{ variant: plain(3), quantity: 5 }]);
    await carts.applyDiscountCode(SHOP, id, { code: "WELCOME10" });
    await expect(carts.applyDiscountCode(SHOP, id, { code: "TAKE5" })).rejects.toMatchObject({ status: 409, code: "discount_code_not_combinable" });
    // Applying the same code again changes nothing.
    await carts.applyDiscountCode(SHOP, id, { code: "welcome10" });
    expect((await carts.cartTotals(SHOP, id)).discountCodes.map((c) => c.code)).toEqual(["WELCOME10"]);
  });

  it("free shipping over a minimum takes the chosen rate to zero", async () => {
    const v = catalog().variants.find(
      (x) =>
        cents(x) >= 3000 &&
        !catalog()
          .products.slice(0, 2)
          .some((p) => p.id === x.productId),
    )!;
    const id = await cartWith([{ variant: v, quantity: 1 }]);
    await carts.setAddresses(SHOP, id, { shippingAddress: { lastName: "Lee", address1: "1 Dock St", city: "Portland", country: "US", province: "ME" } });
    const [rate] = (await carts.cartTotals(SHOP, id)).availableShippingRates;
    await carts.chooseShippingRate(SHOP, id, { rateId: rate.id });
    expect((await carts.cartTotals(SHOP, id)).shipping).toBe(700);
    await carts.applyDiscountCode(SHOP, id, { code: "FREESHIP" });
    const totals = await carts.cartTotals(SHOP, id);
    expect(totals.shipping).toBe(0);
    expect(totals.adjustments.filter((a) => a.step === "shipping").map((a) => [a.source, a.amount])).toEqual([
      [`shipping:${rate.id}`, 700],
      ["discount:FREESHIP", -700],
    ]);
    expect(totals.grandTotal).toBe(cents(v));
  });

  it("a code the merchant ends in Shopify stops applying once the cache has passed, with the reason", async () => {
    const id = await cartWith([{ variant: plain(4), quantity: 1 }]);
    await carts.applyDiscountCode(SHOP, id, { code: "WELCOME10" });
    expect((await carts.cartTotals(SHOP, id)).discounts).toBeGreaterThan(0);
    const d = t.store.state.shop(SHOP)!.discounts.find((x) => x.code === "WELCOME10")!;
    const ends = d.endsAt;
    d.endsAt = new Date(Date.now() - 1000).toISOString();
    try {
      discounts.forgetDiscountCodes(SHOP);
      const totals = await carts.cartTotals(SHOP, id);
      expect(totals.discounts).toBe(0);
      expect(totals.discountCodes).toEqual([{ code: "WELCOME10", title: null, applied: false, reason: "WELCOME10 has expired" }]);
    } finally {
      d.endsAt = ends;
      discounts.forgetDiscountCodes(SHOP);
    }
  });

  it("a shop whose prices include tax: tax is carved out of the prices, not added", async () => {
    const { setTaxRule } = await import("./tax.server");
    await setTaxRule(EU_SHOP, { country: "DE", province: "", basisPoints: 1900, shipping: false });
    const v = plain(0, EU_SHOP);
    const id = await cartWith([{ variant: v, quantity: 1 }], EU_SHOP, "EUR");
    await carts.setAddresses(EU_SHOP, id, { shippingAddress: { lastName: "Weber", address1: "Hafenstr. 1", city: "Hamburg", country: "DE" } });
    const totals = await carts.cartTotals(EU_SHOP, id);
    expect(totals.taxIncluded).toBe(true);
    expect(totals.tax).toBe(cents(v) - Number((BigInt(cents(v)) * 10000n * 2n + 11900n) / (11900n * 2n)));
    expect(totals.grandTotal).toBe(cents(v));
  });

  it("without the read_discounts scope Shopify refuses the lookup, and so does the dev store", async () => {
    const res = await fetch(`${t.store.url}/shops/${NO_SCOPE}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": t.store.state.issueAccessToken(NO_SCOPE, "read_products", { expiring: false }).token.token,
      },
      body: JSON.stringify({ query: discounts.CART_DISCOUNT_CODE_QUERY, variables: { code: "WELCOME10" } }),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe("ACCESS_DENIED");
  });
});
