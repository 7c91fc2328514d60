import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.install();
});
afterAll(async () => t?.close());

describe("background jobs", () => {
  it("expire holds past their TTL and mirror them onto Shopify without being asked", async () => {
    const { hold } = await import("../holds/holds.server");
    const { recordShopifyAvailable } = await import("../holds/ledger.server");
    const { startJobs } = await import("./jobs.server");
    const level = t.store.shop().catalog.levels.find((l) => l.locationId === 1001 && l.quantities.available >= 2)!;
    const inventoryItemId = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
    const locationId = "gid://shopify/Location/1001";
    const before = level.quantities.available;
    await recordShopifyAvailable("holdfast-dev.myshopify.com", { inventoryItemId, locationId, available: before, updatedAt: new Date(level.updatedAt) });
    const r = await hold("holdfast-dev.myshopify.com", {
      owner: { type: "checkout", id: "w1" },
      kind: "hard",
      ttlMinutes: 10,
      lines: [{ inventoryItemId, locationId, quantity: 2 }],
    });
    if (!r.ok) throw new Error("hold failed");
    const workers = startJobs({
      adminFor: async (shop) => (await t.shopify.unauthenticated.admin(shop)).admin,
      sweepEveryMs: 20,
      mirrorEveryMs: 20,
      log: () => {},
    });
    try {
      await expect.poll(() => level.quantities.reserved, { timeout: 5000 }).toBe(2);
      await t.db.hold.update({ where: { id: r.hold.id }, data: { expiresAt: new Date(Date.now() - 1) } });
      await expect.poll(async () => (await t.db.hold.findUniqueOrThrow({ where: { id: r.hold.id } })).state, { timeout: 5000 }).toBe("expired");
      await expect.poll(() => level.quantities.available, { timeout: 5000 }).toBe(before);
      expect(level.quantities.reserved).toBe(0);
    } finally {
      await workers.stop();
    }
  });

  it("resume saga runs another instance left mid-way, at start-up", async () => {
    const { sagaRunner } = await import("../headless-checkout/checkout-runner.server");
    const { saga, step } = await import("../saga/runner.server");
    const { startJobs } = await import("./jobs.server");
    const def = saga("worker-resume-demo", [step("only", { action: async (c) => `done for ${c.shop}` })]);
    sagaRunner.register(def);
    // As a crashed instance leaves it: running, its lease expired.
    await t.db.sagaRun.create({
      data: {
        id: "run-left-behind",
        shop: "holdfast-dev.myshopify.com",
        saga: def.name,
        key: "k",
        activeKey: "holdfast-dev.myshopify.com|worker-resume-demo|k",
        input: "{}",
        state: "running",
        leaseOwner: "dead",
        leaseUntil: new Date(Date.now() - 1000),
      },
    });
    const workers = startJobs({ adminFor: async (shop) => (await t.shopify.unauthenticated.admin(shop)).admin, sagaEveryMs: 60_000, log: () => {} });
    try {
      await expect.poll(async () => (await t.db.sagaRun.findUniqueOrThrow({ where: { id: "run-left-behind" } })).state, { timeout: 5000 }).toBe("completed");
    } finally {
      await workers.stop();
    }
  });
});
