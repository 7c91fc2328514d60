import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.install();
});
afterAll(async () => t?.close());

describe("admin home status", () => {
  it("shows this shop's real status: install time, API version, database, live counts", async () => {
    await t.store.sendWebhook("holdfast-dev.myshopify.com", "customers/data_request", {
      customer: { id: 5, email: "c@example.com" },
      orders_requested: [],
      data_request: { id: 31 },
    });
    const { recordShopifyAvailable } = await import("../holds/ledger.server");
    const { hold } = await import("../holds/holds.server");
    const line = { inventoryItemId: "gid://shopify/InventoryItem/50001", locationId: "gid://shopify/Location/1001", quantity: 2 };
    await recordShopifyAvailable(t.store.shop().domain, { ...line, available: 5, updatedAt: new Date() });
    expect((await hold(t.store.shop().domain, { owner: { type: "cart", id: "c1" }, kind: "hard", lines: [line] })).ok).toBe(true);
    const res = await t.adminFetch("/app");
    expect(res.status).toBe(200);
    const status = await res.json();
    const shop = t.store.shop();
    expect(status).toMatchObject({
      shop: shop.domain,
      name: shop.name,
      currencyCode: "USD",
      apiVersion: "2026-10",
      database: t.database.provider,
      policy: { holdTtlMinutes: 15, holdStrategy: "checkout_start" },
      counts: {
        products: shop.catalog.products.length,
        locations: 2,
        webhooksProcessed: 1,
        webhooksFailed: 0,
        openDataRequests: 1,
        activeHolds: 1,
        heldUnits: 2,
        movesPending: 1,
        movesParked: 0,
      },
      findings: [],
    });
    expect(Date.parse(status.installedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(status.locations.map((l: { name: string }) => l.name)).toEqual(shop.catalog.locations.map((l) => l.name));
    expect(status.queryCost).toBeGreaterThan(0);
  });

  it("reconciles on demand and lists what it found", async () => {
    const domain = t.store.shop().domain;
    await t.db.stockLevel.updateMany({ where: { shop: domain }, data: { held: 0, hardHeld: 0 } });
    const res = await t.adminFetch("/app?index", { method: "POST", body: new URLSearchParams({}) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ checked: true, findings: 1 });
    const status = await (await t.adminFetch("/app")).json();
    expect(status.findings).toEqual([expect.objectContaining({ kind: "held_drift", repaired: true })]);
    expect(status.counts.heldUnits).toBe(2);
  });
});
