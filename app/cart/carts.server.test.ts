import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
let carts: typeof import("./carts.server");
let products: typeof import("./products.server");
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
  await t.install(DEFAULT_SHOP);
  await t.install(OTHER);
  carts = await import("./carts.server");
  products = await import("./products.server");
});
afterAll(async () => t?.close());

const variants = () => t.store.shop().catalog.variants;
const stocked = (i: number) => {
  const { catalog } = t.store.shop();
  return catalog.variants.filter((v) => catalog.levels.some((l) => l.inventoryItemId === v.inventoryItemId && l.quantities.available > 0))[i];
};
const gid = (v: { id: number }) => `gid://shopify/ProductVariant/${v.id}`;

describe("carts", () => {
  it("get-or-create: a token finds its cart in its own shop only", async () => {
    const { cart, created } = await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD");
    expect(created).toBe(true);
    expect((await carts.getOrCreateCart(DEFAULT_SHOP, cart.id, "USD")).cart.id).toBe(cart.id);
    const elsewhere = await carts.getOrCreateCart(OTHER, cart.id, "USD");
    expect(elsewhere.created).toBe(true);
    expect(elsewhere.cart.id).not.toBe(cart.id);
    expect((await carts.getOrCreateCart(DEFAULT_SHOP, "not-a-uuid", "USD")).created).toBe(true);
  });

  it("adds lines with product facts from the Storefront API, exactly priced, merging the same variant", async () => {
    const { cart } = await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD");
    const v = stocked(0);
    const line = await carts.addLine(DEFAULT_SHOP, cart.id, { variantId: gid(v), quantity: 2 });
    const cents = Number(v.price.replace(".", ""));
    expect(line).toMatchObject({
      variantId: gid(v),
      productId: `gid://shopify/Product/${v.productId}`,
      quantity: 2,
      unitPrice: cents,
      requiresShipping: true,
      weightGrams: v.weightGrams,
    });
    await carts.addLine(DEFAULT_SHOP, cart.id, { variantId: gid(v), quantity: 3 });
    const lines = await carts.listLines(DEFAULT_SHOP, cart.id);
    expect(lines).toHaveLength(1);
    expect(lines[0].quantity).toBe(5);
    const totals = await carts.cartTotals(DEFAULT_SHOP, cart.id);
    expect(totals).toMatchObject({ currency: "USD", subtotal: 5 * cents, grandTotal: 5 * cents, priceChanges: [] });
  });

  it.each([
    [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1 }, 422, "unknown_variant"],
    [{ variantId: "40001", quantity: 1 }, 400, "invalid_line"],
    [{ variantId: "gid://shopify/ProductVariant/40001", quantity: 0 }, 400, "invalid_line"],
    [{ variantId: "gid://shopify/ProductVariant/40001", quantity: 1.5 }, 400, "invalid_line"],
    [{ variantId: "gid://shopify/ProductVariant/40001", quantity: "2" }, 400, "invalid_line"],
    [{ variantId: "gid://shopify/ProductVariant/40001", quantity: 100000 }, 400, "invalid_line"],
  ])("refuses %j (%s %s) and changes nothing", async (input, status, code) => {
    const { cart } = await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD");
    await expect(carts.addLine(DEFAULT_SHOP, cart.id, input)).rejects.toMatchObject({ status, code });
    expect(await carts.listLines(DEFAULT_SHOP, cart.id)).toEqual([]);
  });

  it("refuses a variant that is not for sale", async () => {
    const { catalog } = t.store.shop();
    const soldOut = catalog.variants.find((v) =>
      catalog.levels.filter((l) => l.inventoryItemId === v.inventoryItemId).every((l) => l.quantities.available === 0),
    );
    if (!soldOut) {
      const v = variants()[5];
      for (const l of catalog.levels.filter((x) => x.inventoryItemId === v.inventoryItemId)) l.quantities.available = 0;
    }
    const target = soldOut ?? variants()[5];
    products.forgetVariantFacts();
    const { cart } = await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD");
    await expect(carts.addLine(DEFAULT_SHOP, cart.id, { variantId: gid(target), quantity: 1 })).rejects.toMatchObject({ status: 409, code: "not_available" });
  });

  it("updates a quantity and removes lines all or nothing; another shop cannot touch the cart", async () => {
    const { cart } = await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD");
    const a = await carts.addLine(DEFAULT_SHOP, cart.id, { variantId: gid(stocked(1)), quantity: 1 });
    const b = await carts.addLine(DEFAULT_SHOP, cart.id, { variantId: gid(stocked(2)), quantity: 1 });
    expect((await carts.updateLineQuantity(DEFAULT_SHOP, cart.id, a.id, 4)).quantity).toBe(4);
    await expect(carts.updateLineQuantity(DEFAULT_SHOP, cart.id, a.id, 0)).rejects.toMatchObject({ status: 400 });
    await expect(carts.removeLines(DEFAULT_SHOP, cart.id, [a.id, "nope"])).rejects.toMatchObject({ status: 404, code: "line_not_found" });
    expect(await carts.listLines(DEFAULT_SHOP, cart.id)).toHaveLength(2);
    await expect(carts.listLines(OTHER, cart.id)).rejects.toMatchObject({ status: 404, code: "cart_not_found" });
    await expect(carts.removeLines(OTHER, cart.id, [a.id])).rejects.toMatchObject({ status: 404 });
    await carts.removeLines(DEFAULT_SHOP, cart.id, [a.id, b.id]);
    expect(await carts.listLines(DEFAULT_SHOP, cart.id)).toEqual([]);
  });

  it("reports a price that changed since the line was added, and totals at today's price", async () => {
    const { cart } = await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD");
    const v = stocked(3);
    const line = await carts.addLine(DEFAULT_SHOP, cart.id, { variantId: gid(v), quantity: 2 });
    v.price = "1.25";
    products.forgetVariantFacts();
    const totals = await carts.cartTotals(DEFAULT_SHOP, cart.id);
    expect(totals.priceChanges).toEqual([{ lineId: line.id, title: line.title, was: (line.unitPrice / 100).toFixed(2), now: "1.25" }]);
    expect(totals.subtotal).toBe(250);
  });

  it("marks carts left with lines for a day as abandoned, once; empty and converted carts are not", async () => {
    const old = new Date(Date.now() - 25 * 3600_000);
    const left = (await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD")).cart;
    await carts.addLine(DEFAULT_SHOP, left.id, { variantId: gid(stocked(5)), quantity: 1 });
    const empty = (await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD")).cart;
    const bought = (await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD")).cart;
    await carts.addLine(DEFAULT_SHOP, bought.id, { variantId: gid(stocked(5)), quantity: 1 });
    const fresh = (await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD")).cart;
    await carts.addLine(DEFAULT_SHOP, fresh.id, { variantId: gid(stocked(5)), quantity: 1 });
    await t.db.cart.updateMany({ where: { id: { in: [left.id, empty.id, bought.id] } }, data: { lastActivityAt: old } });
    await t.db.cart.update({ where: { id: bought.id }, data: { convertedAt: new Date() } });
    const now = new Date();
    expect(await carts.markAbandonedCarts(now)).toBeGreaterThanOrEqual(1);
    expect(await carts.markAbandonedCarts(now)).toBe(0);
    const state = async (id: string) => (await t.db.cart.findUniqueOrThrow({ where: { id } })).abandonedAt;
    expect(await state(left.id)).toEqual(now);
    expect([await state(empty.id), await state(bought.id), await state(fresh.id)]).toEqual([null, null, null]);
  });

  it("customers/redact erases that customer's carts", async () => {
    const { cart } = await carts.getOrCreateCart(DEFAULT_SHOP, null, "USD");
    await t.db.cart.update({ where: { id: cart.id }, data: { email: "gone@example.com" } });
    await carts.addLine(DEFAULT_SHOP, cart.id, { variantId: gid(stocked(4)), quantity: 1 });
    const [d] = await t.store.sendWebhook(DEFAULT_SHOP, "customers/redact", { customer: { id: 77, email: "gone@example.com" }, orders_to_redact: [] });
    expect(d.delivered).toBe(true);
    expect(await t.db.cart.count({ where: { id: cart.id } })).toBe(0);
    expect(await t.db.cartLine.count({ where: { cartId: cart.id } })).toBe(0);
  });
});
