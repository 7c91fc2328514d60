import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

let t: TestApp;
let h: typeof import("./holds.server");
let r: typeof import("./reconciler.server");
let mirror: typeof import("./mirror.server");
let ledger: typeof import("./ledger.server");
const LOC = "gid://shopify/Location/1001";
const used = new Set<number>();

beforeAll(async () => {
  t = await startTestApp();
  await t.install();
  h = await import("./holds.server");
  r = await import("./reconciler.server");
  mirror = await import("./mirror.server");
  ledger = await import("./ledger.server");
});
afterAll(async () => t?.close());

const admin = async () => (await t.shopify.unauthenticated.admin(DEFAULT_SHOP)).admin;
async function item(min: number) {
  const level = t.store.shop().catalog.levels.find((l) => l.locationId === 1001 && l.quantities.available >= min && !used.has(l.inventoryItemId))!;
  used.add(level.inventoryItemId);
  const inventoryItemId = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
  await ledger.recordShopifyAvailable(DEFAULT_SHOP, {
    inventoryItemId,
    locationId: LOC,
    available: level.quantities.available,
    updatedAt: new Date(level.updatedAt),
  });
  return { level, inventoryItemId };
}
const row = (inventoryItemId: string) =>
  t.db.stockLevel.findUniqueOrThrow({ where: { shop_inventoryItemId_locationId: { shop: DEFAULT_SHOP, inventoryItemId, locationId: LOC } } });
const holdOf = async (inventoryItemId: string, quantity: number, kind: "hard" | "soft" = "soft") => {
  const res = await h.hold(DEFAULT_SHOP, { owner: { type: "cart", id: crypto.randomUUID() }, kind, lines: [{ inventoryItemId, locationId: LOC, quantity }] });
  if (!res.ok) throw new Error("hold failed");
  return res.hold;
};

describe("the reconciler", () => {
  it("finds nothing when all agrees", async () => {
    const { inventoryItemId } = await item(2);
    await holdOf(inventoryItemId, 1);
    expect(await r.reconcileShop(DEFAULT_SHOP, await admin())).toEqual([]);
  });

  it("recomputes held quantities that drifted from the active holds, and records it", async () => {
    const { inventoryItemId } = await item(3);
    await holdOf(inventoryItemId, 2);
    await t.db.stockLevel.update({ where: { shop_inventoryItemId_locationId: { shop: DEFAULT_SHOP, inventoryItemId, locationId: LOC } }, data: { held: 0 } });
    const findings = await r.reconcileShop(DEFAULT_SHOP, await admin());
    expect(findings).toEqual([
      {
        kind: "held_drift",
        subject: `${inventoryItemId}@${LOC}`,
        detail: { expected: { held: 2, hardHeld: 0 }, found: { held: 0, hardHeld: 0 } },
        repaired: true,
      },
    ]);
    expect((await row(inventoryItemId)).held).toBe(2);
    expect(await t.db.reconcileFinding.count({ where: { kind: "held_drift" } })).toBe(1);
  });

  it("takes Shopify's available when a change never reached us, releasing holds that no longer fit", async () => {
    const { level, inventoryItemId } = await item(3);
    const older = await holdOf(inventoryItemId, 1);
    const newer = await holdOf(inventoryItemId, 1);
    level.quantities.available = 1; // sold at the POS, and the webhook was lost
    const findings = await r.reconcileShop(DEFAULT_SHOP, await admin());
    expect(findings).toEqual([expect.objectContaining({ kind: "shopify_drift", subject: `${inventoryItemId}@${LOC}`, repaired: true })]);
    expect(findings[0].detail).toMatchObject({ expected: 1, releasedHolds: [newer.id] });
    expect(await row(inventoryItemId)).toMatchObject({ shopifyAvailable: 1, held: 1 });
    expect((await h.status(DEFAULT_SHOP, older.id)).state).toBe("held");
  });

  it("expires holds the sweeper missed and requeues parked Shopify moves", async () => {
    const { inventoryItemId } = await item(2);
    const stale = await holdOf(inventoryItemId, 1, "hard");
    await mirror.drainInventoryMoves({ adminFor: async () => admin() });
    await t.db.hold.update({ where: { id: stale.id }, data: { expiresAt: new Date(Date.now() - 5 * 60_000) } });
    await t.db.shopifyInventoryMove.create({
      data: { id: "ghost:unreserve", shop: DEFAULT_SHOP, holdId: "ghost", action: "unreserve", state: "parked", attempts: 12, lastError: "INVALID_LOCATION" },
    });
    const findings = await r.reconcileShop(DEFAULT_SHOP, await admin());
    expect(findings.map((f) => [f.kind, f.subject])).toEqual(
      expect.arrayContaining([
        ["hold_past_expiry", stale.id],
        ["move_parked", "ghost:unreserve"],
      ]),
    );
    expect((await h.status(DEFAULT_SHOP, stale.id)).state).toBe("expired");
    expect(await t.db.shopifyInventoryMove.findUniqueOrThrow({ where: { id: "ghost:unreserve" } })).toMatchObject({
      state: "pending",
      attempts: 0,
      generation: 1,
    });
    await t.db.shopifyInventoryMove.delete({ where: { id: "ghost:unreserve" } });
    await mirror.drainInventoryMoves({ adminFor: async () => admin() });
  });

  it("flags reserved units that something outside Holdfast moved", async () => {
    const { level, inventoryItemId } = await item(2);
    await holdOf(inventoryItemId, 1, "hard");
    await mirror.drainInventoryMoves({ adminFor: async () => admin() });
    await t.store.webhooks.settle();
    expect(level.quantities.reserved).toBe(1);
    level.quantities.reserved = 0; // another app released our reservation
    const findings = await r.reconcileShop(DEFAULT_SHOP, await admin());
    expect(findings).toEqual([
      { kind: "mirror_exceeds_reserved", subject: `${inventoryItemId}@${LOC}`, detail: { mirrored: 1, shopifyReserved: 0 }, repaired: false },
    ]);
  });
});
