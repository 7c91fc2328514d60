// The shop's validation (Holdfast's Function switched on in Shopify), through the dev store's
// Admin API: created at install, enabled, letting checkouts through when the Function fails
// unless the merchant chooses to block; kept as set; one per shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "second-shop.myshopify.com";
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
  await t.install(DEFAULT_SHOP);
});
afterAll(async () => t?.close());

const settings = (fields: Record<string, string>, shop = DEFAULT_SHOP) =>
  t.adminFetch("/app/settings", { method: "POST", body: new URLSearchParams({ intent: "validation_failure_mode", ...fields }), shop });
const validations = (shop = DEFAULT_SHOP) => t.store.state.shop(shop)!.validations;

describe("the shop's validation", () => {
  it("is created at install from the app's Function, enabled, letting checkouts through when the Function fails", async () => {
    expect(validations()).toHaveLength(1);
    expect(validations()[0]).toMatchObject({ functionHandle: "holdfast-validation", enabled: true, blockOnFailure: false, title: "Holdfast stock holds" });
    const page = await (await t.adminFetch("/app/settings")).json();
    expect(page.validation).toEqual({ mode: "allow", state: "on" });
  });

  it("follows the merchant's failure mode, and stays one validation however often it is saved", async () => {
    expect((await settings({ failureMode: "block" })).status).toBe(200);
    expect(validations()).toMatchObject([{ enabled: true, blockOnFailure: true }]);
    expect((await t.db.shop.findUniqueOrThrow({ where: { domain: DEFAULT_SHOP } })).validationBlockOnFailure).toBe(true);
    expect((await settings({ failureMode: "block" })).status).toBe(200);
    expect((await settings({ failureMode: "allow" })).status).toBe(200);
    expect(validations()).toHaveLength(1);
    expect(validations()[0]).toMatchObject({ enabled: true, blockOnFailure: false });
    expect((await (await t.adminFetch("/app/settings")).json()).validation).toEqual({ mode: "allow", state: "on" });
  });

  it("is switched back on if it was turned off in Shopify", async () => {
    validations()[0].enabled = false;
    expect((await (await t.adminFetch("/app/settings")).json()).validation.state).toBe("off");
    expect((await settings({ failureMode: "allow" })).status).toBe(200);
    expect(validations()[0].enabled).toBe(true);
  });

  it("refuses an unknown failure mode, changing nothing", async () => {
    const before = JSON.stringify(validations());
    const res = await settings({ failureMode: "sometimes" });
    expect(res.status).toBe(422);
    expect((await res.json()).errors.failureMode).toMatch(/let checkouts through or block/);
    expect(JSON.stringify(validations())).toBe(before);
  });

  it("a shop where Shopify cannot create it still installs; Settings says so and switches it on when saved", async () => {
    // The dev store refuses the Function, as Shopify does when an app version without it is live.
    const functions = t.store.state.app.functions!;
    const saved = [...functions];
    functions.length = 0;
    try {
      await t.install(OTHER);
      expect(validations(OTHER)).toHaveLength(0);
      expect((await (await t.adminFetch("/app/settings", { shop: OTHER })).json()).validation).toEqual({ mode: "allow", state: "off" });
      const refused = await settings({ failureMode: "allow" }, OTHER);
      expect(refused.status).toBe(422);
      expect((await refused.json()).errors.failureMode).toMatch(/Shopify did not switch on the stock check: Function holdfast-validation not found/);
    } finally {
      functions.push(...saved);
    }
    expect((await settings({ failureMode: "allow" }, OTHER)).status).toBe(200);
    expect(validations(OTHER)).toMatchObject([{ functionHandle: "holdfast-validation", enabled: true }]);
    expect(validations()).toHaveLength(1);
  });
});
