import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

// This process is a named instance (as in production with HOLDFAST_INSTANCE_ID), restarted.
process.env.HOLDFAST_INSTANCE_ID = "deliveries-test";
let t: TestApp;
let deliveries: typeof import("./deliveries.server");
const SHOP = "claims.myshopify.com";

beforeAll(async () => {
  t = await startTestApp();
  deliveries = await import("./deliveries.server");
});
afterAll(async () => {
  delete process.env.HOLDFAST_INSTANCE_ID;
  await t?.close();
});

const stuckClaim = (webhookId: string, claimedBy: string) =>
  t.db.webhookEvent.create({ data: { shop: SHOP, topic: "inventory_levels/update", webhookId, outcome: "processing", claimedBy, claimedAt: new Date() } });

describe("webhook claims", () => {
  it("a claim left by this instance's previous life is retaken at once; another instance's waits", async () => {
    expect(deliveries.claimer.startsWith("deliveries-test#")).toBe(true);
    await stuckClaim("w-previous-life", "deliveries-test#a-killed-process");
    await stuckClaim("w-other-instance", "another-instance#its-life");
    let ran = 0;
    const handler = async () => void ran++;
    expect(await deliveries.processDeliveryOnce({ shop: SHOP, topic: "inventory_levels/update", webhookId: "w-previous-life" }, handler)).toBe("processed");
    expect(await deliveries.processDeliveryOnce({ shop: SHOP, topic: "inventory_levels/update", webhookId: "w-other-instance" }, handler)).toBe("in_progress");
    expect(ran).toBe(1);
    expect(await t.db.webhookEvent.findFirstOrThrow({ where: { shop: SHOP, webhookId: "w-previous-life" } })).toMatchObject({
      outcome: "processed",
      claimedBy: deliveries.claimer,
      attempts: 2,
    });
    // This life's own claim in progress is not taken twice.
    await stuckClaim("w-this-life", deliveries.claimer);
    expect(await deliveries.processDeliveryOnce({ shop: SHOP, topic: "inventory_levels/update", webhookId: "w-this-life" }, handler)).toBe("in_progress");
  });
});
