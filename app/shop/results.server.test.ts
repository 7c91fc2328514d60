// Home's figures (issue 14), each from a known history built through the app's own paths (holds
// placed, refused, committed, released and expired; carts moved through their stages), read
// back through Home's loader, on either database; and one shop never sees another's figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstalledTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import type { ShopResults } from "./results.server";

const OTHER = "other-shop.myshopify.com";
const LOC = "gid://shopify/Location/1001";
const MIN = 60_000;
let t: TestApp;
let h: typeof import("../holds/holds.server");
beforeAll(async () => {
  t = await startInstalledTestApp([DEFAULT_SHOP, OTHER]);
  h = await import("../holds/holds.server");
});
afterAll(async () => t?.close());

async function stocked(shop: string, index: number, available: number) {
  const level = t.store.shop(shop).catalog.levels.filter((l) => l.locationId === 1001)[index];
  const inventoryItemId = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
  const { recordShopifyAvailable } = await import("../holds/ledger.server");
  await recordShopifyAvailable(shop, { inventoryItemId, locationId: LOC, available, updatedAt: new Date() });
  return inventoryItemId;
}
const ask = (shop: string, item: string, quantity: number, id = crypto.randomUUID()) =>
  h.hold(shop, { owner: { type: "cart", id }, kind: "hard", lines: [{ inventoryItemId: item, locationId: LOC, quantity }] });
async function placed(shop: string, item: string, quantity: number) {
  const r = await ask(shop, item, quantity);
  if (!r.ok) throw new Error("not placed");
  return r.hold.id;
}
/** Home's loader, as the admin asks for it. */
const home = async (shop = DEFAULT_SHOP): Promise<ShopResults> => (await (await t.adminFetch("/app", { shop })).json()).results;

describe("Home's results", () => {
  it("starts empty: every figure zero, the funnel empty, no TTL advice yet", async () => {
    const r = await home();
    expect(r.protectedNow).toEqual({ units: 0, holds: 0 });
    expect(r.periods.week).toEqual({
      ended: { committed: { holds: 0, units: 0 }, expired: { holds: 0, units: 0 }, released: { holds: 0, units: 0 } },
      salesSaved: { holds: 0, units: 0 },
      refusals: { shoppers: 0, shortUnits: 0 },
      oversellsPrevented: { shoppers: 0, units: 0 },
    });
    expect(r.funnel.reached.map((s) => s.carts)).toEqual([0, 0, 0, 0, 0]);
    expect(r.holdTimes.advice.tone).toBe("info");
  });

  it("counts refusals, oversells prevented, sales saved, and how holds ended, by period", async () => {
    const item = await stocked(DEFAULT_SHOP, 0, 3);
    const soldOut = await stocked(DEFAULT_SHOP, 1, 0);
    const ann = await placed(DEFAULT_SHOP, item, 2); // 1 left
    const ben = crypto.randomUUID();
    expect((await ask(DEFAULT_SHOP, item, 2, ben)).ok).toBe(false); // 1 short; Shopify showed 3: 1 unit contested
    expect((await ask(DEFAULT_SHOP, item, 2, ben)).ok).toBe(false); // asking again is the same refusal
    expect((await ask(DEFAULT_SHOP, item, 5)).ok).toBe(false); // 4 short; 2 of them held for Ann
    expect((await ask(DEFAULT_SHOP, soldOut, 1)).ok).toBe(false); // sold out in Shopify too: not contested
    await h.commit(DEFAULT_SHOP, ann, "order 1 placed", "gid://shopify/Order/1");
    const eve = await placed(DEFAULT_SHOP, item, 1); // nobody wanted Eve's unit
    await h.commit(DEFAULT_SHOP, eve, "order 2 placed", "gid://shopify/Order/2");
    await h.release(DEFAULT_SHOP, await placed(DEFAULT_SHOP, item, 1), "shopper emptied the cart");
    const gus = await placed(DEFAULT_SHOP, item, 1);
    await t.db.hold.update({ where: { id: gus }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await h.expireDueHolds()).toBe(1);
    // A hold that became an order ten days ago counts in 30 days only.
    const old = await placed(DEFAULT_SHOP, item, 1);
    await h.commit(DEFAULT_SHOP, old, "order 3 placed", "gid://shopify/Order/3");
    await t.db.hold.update({
      where: { id: old },
      data: { endedAt: new Date(Date.now() - 10 * 24 * 60 * MIN), createdAt: new Date(Date.now() - 10 * 24 * 60 * MIN - 2 * MIN) },
    });
    await placed(DEFAULT_SHOP, item, 1); // still held

    const r = await home();
    expect(r.protectedNow).toEqual({ units: 1, holds: 1 });
    expect(r.periods.day).toEqual({
      ended: { committed: { holds: 2, units: 3 }, expired: { holds: 1, units: 1 }, released: { holds: 1, units: 1 } },
      salesSaved: { holds: 1, units: 2 },
      refusals: { shoppers: 3, shortUnits: 6 },
      oversellsPrevented: { shoppers: 2, units: 3 },
    });
    expect(r.periods.week).toEqual(r.periods.day);
    expect(r.periods.month.ended.committed).toEqual({ holds: 3, units: 4 });
    expect((await t.db.hold.findUniqueOrThrow({ where: { id: ann } })).orderId).toBe("gid://shopify/Order/1");
  });

  it("buckets the time from hold to order against the TTL, and advises a longer hold when orders come late", async () => {
    const item = await stocked(DEFAULT_SHOP, 2, 1000);
    const { saveHoldPolicy } = await import("./hold-policy.server");
    expect((await saveHoldPolicy(DEFAULT_SHOP, { holdTtlMinutes: 12, holdStrategy: "checkout_start" })).ok).toBe(true);
    // 12-minute holds: ≤ 3, ≤ 6, ≤ 9, ≤ 12 minutes, and one extended past the TTL.
    const minutes = [1, 2, 5, 8, 10, 11, 14];
    for (const m of minutes) {
      const id = await placed(DEFAULT_SHOP, item, 1);
      await t.db.hold.update({ where: { id }, data: { createdAt: new Date(Date.now() - m * MIN) } });
      await h.commit(DEFAULT_SHOP, id);
    }
    let r = await home();
    // The earlier test's orders (2 minutes, and two made now) are in the first bucket.
    expect(r.holdTimes.ttlMinutes).toBe(12);
    expect(r.holdTimes.buckets).toEqual([2 + 3, 1, 1, 2, 1]);
    expect(r.holdTimes.expired).toBe(1);
    expect(r.holdTimes.advice).toMatchObject({ tone: "info", text: expect.stringContaining("after 20 orders from holds (10 so far)") });
    for (let i = 0; i < 10; i++) {
      const id = await placed(DEFAULT_SHOP, item, 1);
      await t.db.hold.update({ where: { id }, data: { createdAt: new Date(Date.now() - 11 * MIN) } });
      await h.commit(DEFAULT_SHOP, id);
    }
    r = await home();
    expect(r.holdTimes.buckets).toEqual([5, 1, 1, 12, 1]);
    expect(r.holdTimes.advice).toMatchObject({ tone: "warning", text: expect.stringContaining("Consider a longer hold") });
  });

  it("shows the checkout funnel: carts by the furthest stage reached, and why checkouts were lost", async () => {
    const { reachStage, markLost } = await import("../cart/stages.server");
    const cart = async (stage: "cart" | "checkout" | "hold" | "payment" | "order", lost?: Parameters<typeof markLost>[2]) => {
      const row = await t.db.cart.create({ data: { id: crypto.randomUUID(), shop: DEFAULT_SHOP, currency: "USD" } });
      await reachStage(DEFAULT_SHOP, row.id, stage);
      if (lost) await markLost(DEFAULT_SHOP, row.id, lost);
      // A stage already passed never moves a cart back.
      await reachStage(DEFAULT_SHOP, row.id, "cart");
    };
    await cart("cart");
    await cart("cart");
    await cart("checkout", "price_changed");
    await cart("hold", "out_of_stock");
    await cart("payment", "payment_declined");
    await cart("payment", "hold_expired");
    await cart("payment"); // left without a reason the app knows
    await cart("order");
    const r = await home();
    expect(r.funnel.reached.map((s) => [s.stage, s.carts])).toEqual([
      ["cart", 8],
      ["checkout", 6],
      ["hold", 5],
      ["payment", 4],
      ["order", 1],
    ]);
    expect(r.funnel.lostCheckouts.map((l) => [l.reason, l.carts])).toEqual([
      ["hold_expired", 1],
      ["left", 1],
      ["out_of_stock", 1],
      ["payment_declined", 1],
      ["price_changed", 1],
    ]);
  });

  it("one shop never sees another's figures", async () => {
    const r = await home(OTHER);
    expect(r.protectedNow).toEqual({ units: 0, holds: 0 });
    expect(r.periods.month.ended.committed.holds).toBe(0);
    expect(r.periods.month.refusals.shoppers).toBe(0);
    expect(r.funnel.reached[0].carts).toBe(0);
    expect(r.holdTimes.buckets).toEqual([0, 0, 0, 0, 0]);
  });
});
