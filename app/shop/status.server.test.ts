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
      customer: { id: 5, email: "c@example.com" }, orders_requested: [], data_request: { id: 31 },
    });
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
      counts: { products: shop.catalog.products.length, locations: 2, webhooksProcessed: 1, webhooksFailed: 0, openDataRequests: 1 },
    });
    expect(Date.parse(status.installedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(status.locations.map((l: { name: string }) => l.name)).toEqual(shop.catalog.locations.map((l) => l.name));
    expect(status.queryCost).toBeGreaterThan(0);
  });
});
