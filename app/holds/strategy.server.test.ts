import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { HOLD_STRATEGIES } from "../shop/hold-policy";

let t: TestApp;
let s: typeof import("./strategy.server");
const SHOP = "holdfast-dev.myshopify.com";
beforeAll(async () => {
  t = await startTestApp();
  s = await import("./strategy.server");
});
afterAll(async () => t?.close());

describe("hold strategies", () => {
  it("decide the kind of hold at each moment", () => {
    const table = Object.fromEntries(
      HOLD_STRATEGIES.map((st) => [st, (["add_to_cart", "checkout_start", "payment"] as const).map((m) => s.holdKindAt(st, m))]),
    );
    expect(table).toEqual({
      checkout_start: [null, "hard", "hard"],
      final_check: [null, null, "hard"],
      add_to_cart: ["soft", "soft", "hard"],
      hybrid: ["soft", "hard", "hard"],
    });
  });

  it("come from the shop's default with per-product overrides, and a hold takes the strongest kind", async () => {
    const a = { productId: "gid://shopify/Product/1", q: 1 };
    const b = { productId: "gid://shopify/Product/2", q: 1 };
    expect(await s.planHold(SHOP, "add_to_cart", [a, b])).toBeNull(); // default: checkout_start
    expect(await s.planHold(SHOP, "checkout_start", [a, b])).toEqual({ kind: "hard", lines: [a, b] });
    await s.setStrategyOverride(SHOP, b.productId, "final_check");
    expect(await s.planHold(SHOP, "checkout_start", [a, b])).toEqual({ kind: "hard", lines: [a] });
    await s.setStrategyOverride(SHOP, a.productId, "add_to_cart");
    expect(await s.planHold(SHOP, "add_to_cart", [a, b])).toEqual({ kind: "soft", lines: [a] });
    expect(await s.planHold(SHOP, "checkout_start", [a, b])).toEqual({ kind: "soft", lines: [a] });
    // Overrides belong to one shop.
    expect(await s.planHold("other.myshopify.com", "checkout_start", [a, b])).toEqual({ kind: "hard", lines: [a, b] });
    await s.removeStrategyOverride(SHOP, a.productId);
    expect((await s.listStrategyOverrides(SHOP)).map((o) => [o.productId, o.strategy])).toEqual([[b.productId, "final_check"]]);
  });

  it("validates an override", () => {
    expect(s.strategyOverrideSchema.parse({ productId: "8001", strategy: "hybrid" })).toEqual({ productId: "gid://shopify/Product/8001", strategy: "hybrid" });
    expect(s.strategyOverrideSchema.safeParse({ productId: "shoes", strategy: "hybrid" }).success).toBe(false);
    expect(s.strategyOverrideSchema.safeParse({ productId: "8001", strategy: "always" }).success).toBe(false);
  });
});
