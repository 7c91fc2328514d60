// The admin's holds (issue 14): the list newest first, by state and kind, a page at a time with
// nothing skipped or repeated; a hold's page with its history and moves; release by hand with a
// reason; and one shop never sees another's holds. Through the admin's own data requests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstalledTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "other-shop.myshopify.com";
const LOC = "gid://shopify/Location/1001";
let t: TestApp;
let h: typeof import("./holds.server");
let admin: typeof import("./holds-admin.server");
beforeAll(async () => {
  t = await startInstalledTestApp([DEFAULT_SHOP, OTHER]);
  h = await import("./holds.server");
  admin = await import("./holds-admin.server");
});
afterAll(async () => t?.close());

/** A real item of the dev store (so Shopify can name it), stocked in the ledger. */
async function stocked(shop: string, available: number) {
  const level = t.store.shop(shop).catalog.levels.find((l) => l.locationId === 1001)!;
  const inventoryItemId = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
  const { recordShopifyAvailable } = await import("./ledger.server");
  await recordShopifyAvailable(shop, { inventoryItemId, locationId: LOC, available, updatedAt: new Date() });
  return inventoryItemId;
}
const place = async (shop: string, item: string, kind: "soft" | "hard" = "hard") => {
  const r = await h.hold(shop, { owner: { type: "cart", id: crypto.randomUUID() }, kind, lines: [{ inventoryItemId: item, locationId: LOC, quantity: 1 }] });
  if (!r.ok) throw new Error("not placed");
  return r.hold;
};
const page = async (query: string, shop = DEFAULT_SHOP) => (await t.adminFetch(`/app/holds${query}`, { shop })).json();

describe("the admin's holds", () => {
  let released: string;
  it("lists the shop's holds newest first, 50 a page, every hold once, with names from Shopify", async () => {
    const item = await stocked(DEFAULT_SHOP, 1000);
    const placed = [];
    for (let i = 0; i < 60; i++) placed.push(await place(DEFAULT_SHOP, item, i % 3 === 0 ? "soft" : "hard"));
    released = placed[5].id;
    await h.release(DEFAULT_SHOP, released, "test");
    const first = await page("");
    expect(first.holds).toHaveLength(50);
    expect(first.next).toBeTruthy();
    const second = await page(`?cursor=${first.next}`);
    expect(second.holds).toHaveLength(10);
    expect(second.next).toBeNull();
    const ids = [...first.holds, ...second.holds].map((x: { id: string }) => x.id);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toEqual([...placed].reverse().map((p) => p.id));
    const row = first.holds[0];
    expect(row.owner).toMatch(/^Cart API cart /);
    expect(row.lines[0].title).not.toContain("gid://"); // named by Shopify
    expect(row.remainingSeconds).toBeGreaterThan(0);
  });

  it("filters by state and kind", async () => {
    const active = await page("?state=active");
    expect(active.holds.every((x: { state: string }) => x.state === "held")).toBe(true);
    expect((await page("?state=released")).holds.map((x: { id: string }) => x.id)).toEqual([released]);
    const soft = await page("?kind=soft");
    expect(soft.holds).toHaveLength(20);
    expect(soft.holds.every((x: { kind: string }) => x.kind === "soft")).toBe(true);
    // A filter the page never makes falls back to all holds rather than failing.
    expect((await page("?state=bogus")).holds).toHaveLength(50);
  });

  it("a hold's page shows its history and moves; release by hand records why; an ended hold says so", async () => {
    const [row] = (await page("?state=active&kind=hard")).holds;
    const detail = await (await t.adminFetch(`/app/holds/${row.id}`)).json();
    expect(detail.hold).toMatchObject({ id: row.id, state: "held", kind: "hard", mirrored: true });
    expect(detail.history.map((e: { toState: string }) => e.toState)).toEqual(["held"]);
    const refused = await t.adminFetch(`/app/holds/${row.id}`, { method: "POST", body: new URLSearchParams({ reason: " " }) });
    expect(refused.status).toBe(422);
    expect((await refused.json()).error).toContain("Say why");
    const done = await t.adminFetch(`/app/holds/${row.id}`, { method: "POST", body: new URLSearchParams({ reason: "duplicate order by phone" }) });
    expect(await done.json()).toEqual({ released: true, error: null });
    const after = await (await t.adminFetch(`/app/holds/${row.id}`)).json();
    expect(after.history.at(-1)).toMatchObject({ toState: "released", reason: "released by the merchant: duplicate order by phone" });
    const again = await t.adminFetch(`/app/holds/${row.id}`, { method: "POST", body: new URLSearchParams({ reason: "twice" }) });
    expect((await again.json()).error).toContain("already ended");
  });

  it("filters by product: the holds taking any of its variants, by number or gid; an unknown product shows none", async () => {
    const catalog = t.store.shop(DEFAULT_SHOP).catalog;
    // A product other than the first test's, stocked at its first level.
    const level = catalog.levels.filter((l) => l.locationId === 1001)[3];
    const productId = catalog.variants.find((v) => v.inventoryItemId === level.inventoryItemId)!.productId;
    const item = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
    const { recordShopifyAvailable } = await import("./ledger.server");
    await recordShopifyAvailable(DEFAULT_SHOP, { inventoryItemId: item, locationId: LOC, available: 10, updatedAt: new Date() });
    const mine = [await place(DEFAULT_SHOP, item), await place(DEFAULT_SHOP, item, "soft")];
    const byNumber = await page(`?product=${productId}`);
    expect(byNumber.holds.map((x: { id: string }) => x.id)).toEqual([mine[1].id, mine[0].id]);
    expect(byNumber.product).toEqual({ id: `gid://shopify/Product/${productId}`, title: expect.any(String) });
    expect((await page(`?product=gid://shopify/Product/${productId}&kind=hard`)).holds.map((x: { id: string }) => x.id)).toEqual([mine[0].id]);
    const unknown = await page("?product=999999");
    expect(unknown).toMatchObject({ holds: [], product: { id: "gid://shopify/Product/999999", title: null } });
    // The other shop's holds of a product with the same number are its own.
    expect((await page(`?product=${productId}`, OTHER)).holds).toEqual([]);
  });

  it("one shop never sees, opens or releases another shop's holds", async () => {
    const theirs = await place(OTHER, await stocked(OTHER, 5));
    expect((await page("", OTHER)).holds.map((x: { id: string }) => x.id)).toEqual([theirs.id]);
    expect((await page("")).holds.some((x: { id: string }) => x.id === theirs.id)).toBe(false);
    expect((await t.adminFetch(`/app/holds/${theirs.id}`)).status).toBe(404);
    const release = await t.adminFetch(`/app/holds/${theirs.id}`, { method: "POST", body: new URLSearchParams({ reason: "not mine" }) });
    expect(release.status).toBe(404);
    expect((await h.status(OTHER, theirs.id)).state).toBe("held");
    expect(await admin.holdDetail(DEFAULT_SHOP, null, theirs.id)).toBeNull();
  });
});
