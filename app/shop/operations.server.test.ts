// The Status page (issue 14): the jobs' pulse (alive, last success, last failure), the mirror's
// lag and parked moves, stuck checkouts, webhook health — for this shop only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstalledTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
beforeAll(async () => {
  t = await startInstalledTestApp([DEFAULT_SHOP, OTHER]);
});
afterAll(async () => t?.close());

describe("the jobs' pulse", () => {
  it("a job that ran recently is alive; its failure is written at once; a job silent for long is not", async () => {
    const { recordBeat, jobHealth } = await import("../jobs/beats.server");
    const start = new Date();
    await recordBeat("mirror", 5_000, { ok: true }, start);
    await recordBeat("mirror", 5_000, { ok: true }, new Date(start.getTime() + 1_000)); // within half a minute: not written
    await recordBeat("mirror", 5_000, { ok: false, error: "Shopify answered 503" }, new Date(start.getTime() + 2_000)); // outcome changed: written
    let mirror = (await jobHealth(new Date(start.getTime() + 3_000))).find((j) => j.job === "mirror")!;
    expect(mirror).toMatchObject({ alive: true, lastOkAt: start.toISOString(), lastError: "Shopify answered 503", instances: 1 });
    mirror = (await jobHealth(new Date(start.getTime() + 10 * 60_000))).find((j) => j.job === "mirror")!;
    expect(mirror.alive).toBe(false);
  });
});

describe("the Status page", () => {
  it("shows the mirror's lag, parked moves, stuck checkouts and webhook health of this shop alone", async () => {
    const minuteAgo = new Date(Date.now() - 60_000);
    for (const shop of [DEFAULT_SHOP, OTHER])
      await t.db.shopifyInventoryMove.createMany({
        data: [
          { id: `${shop}-a:reserve`, shop, holdId: `${shop}-a`, action: "reserve", state: "pending", createdAt: minuteAgo },
          { id: `${shop}-b:reserve`, shop, holdId: `${shop}-b`, action: "reserve", state: "parked" },
        ],
      });
    await t.db.sagaRun.create({ data: { id: "run-stuck", shop: OTHER, saga: "checkout", key: "k", input: "{}", state: "stuck" } });
    const [delivered] = await t.store.sendWebhook(DEFAULT_SHOP, "customers/data_request", {
      shop_domain: DEFAULT_SHOP,
      customer: { id: 1, email: "ann@example.com" },
      orders_requested: [],
      data_request: { id: 77 },
    });
    expect(delivered.delivered).toBe(true);
    const status = await (await t.adminFetch("/app/status")).json();
    expect(status.mirror.lagSeconds).toBeGreaterThanOrEqual(59);
    expect(status.mirror.parkedMoves).toBe(1);
    expect(status.checkouts.stuck).toBe(0); // the stuck one is another shop's
    expect(status.webhooks).toMatchObject({ processedLastDay: 1, failedLastDay: 0, lastTopic: "CUSTOMERS_DATA_REQUEST" });
    const theirs = await (await t.adminFetch("/app/status", { shop: OTHER })).json();
    expect(theirs.checkouts.stuck).toBe(1);
    expect(theirs.webhooks.processedLastDay).toBe(0);
  });
});
