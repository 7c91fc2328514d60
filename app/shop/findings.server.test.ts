// The Findings page (issue 14): what the checks found and did, newest first, filtered, paged,
// and one shop never sees another's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstalledTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
beforeAll(async () => {
  t = await startInstalledTestApp([DEFAULT_SHOP, OTHER]);
});
afterAll(async () => t?.close());
const page = async (query: string, shop = DEFAULT_SHOP) => (await t.adminFetch(`/app/findings${query}`, { shop })).json();

describe("the Findings page", () => {
  it("lists what was found, what was done and why, newest first, filtered and paged; another shop's never", async () => {
    // A real finding, made by the holds reconciler: Shopify's stock changed behind the ledger.
    const { recordShopifyAvailable } = await import("../holds/ledger.server");
    const level = t.store.shop().catalog.levels.find((l) => l.locationId === 1001)!;
    await recordShopifyAvailable(DEFAULT_SHOP, {
      inventoryItemId: `gid://shopify/InventoryItem/${level.inventoryItemId}`,
      locationId: "gid://shopify/Location/1001",
      available: level.quantities.available + 3,
      updatedAt: new Date(Date.now() - 60_000),
    });
    const { reconcileShop } = await import("../holds/reconciler.server");
    await reconcileShop(DEFAULT_SHOP, (await t.shopify.unauthenticated.admin(DEFAULT_SHOP)).admin);
    const [drift] = (await page("")).findings;
    expect(drift).toMatchObject({ kind: "shopify_drift", repaired: true });
    expect(drift.found).toContain(`expected: ${level.quantities.available}`);

    // Many more (arranged), to page through; and one needing a look.
    await t.db.reconcileFinding.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({ shop: DEFAULT_SHOP, kind: "hold_past_expiry", subject: `hold-${i}`, detail: "{}", repaired: true })),
    });
    await t.db.reconcileFinding.create({
      data: {
        shop: DEFAULT_SHOP,
        kind: "mirror_exceeds_reserved",
        subject: "x@y",
        detail: JSON.stringify({ mirrored: 2, shopifyReserved: 0 }),
        repaired: false,
      },
    });
    await t.db.reconcileFinding.create({ data: { shop: OTHER, kind: "saga_stuck", subject: "theirs", detail: "{}", repaired: false } });
    const first = await page("");
    expect(first.findings).toHaveLength(50);
    expect(first.findings[0]).toMatchObject({ kind: "mirror_exceeds_reserved", repaired: false, found: "mirrored: 2; shopify reserved: 0" });
    const second = await page(`?cursor=${first.next}`);
    expect(second.findings).toHaveLength(12);
    expect(second.next).toBeNull();
    expect(new Set([...first.findings, ...second.findings].map((f: { id: number }) => f.id)).size).toBe(62);
    expect((await page("?repaired=no")).findings.map((f: { subject: string }) => f.subject)).toEqual(["x@y"]);
    expect((await page("?kind=hold_past_expiry")).findings).toHaveLength(50);
    expect((await page("?kind=bogus")).findings).toHaveLength(50); // a filter the page never makes: all
    expect((await page("")).findings.some((f: { subject: string }) => f.subject === "theirs")).toBe(false);
    expect((await page("", OTHER)).findings.map((f: { subject: string }) => f.subject)).toEqual(["theirs"]);
  });
});
