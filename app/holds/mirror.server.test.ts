import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { defaultRetryPolicy } from "../shopify/admin-graphql.server";

let t: TestApp;
let h: typeof import("./holds.server");
let mirror: typeof import("./mirror.server");
let ledger: typeof import("./ledger.server");
const LOC = 1001;

beforeAll(async () => {
  t = await startTestApp();
  await t.install();
  h = await import("./holds.server");
  mirror = await import("./mirror.server");
  ledger = await import("./ledger.server");
});
afterAll(async () => t?.close());
beforeEach(() => {
  t.store.faults.length = 0;
});

const fastRetries = { ...defaultRetryPolicy, baseDelayMs: 1, maxAttempts: 3 };
const options = (now = new Date()) => ({
  adminFor: async (shop: string) => (await t.shopify.unauthenticated.admin(shop)).admin,
  retryPolicy: fastRetries,
  now,
});

/** A dev-store item with at least `min` available at LOC, recorded in the ledger. */
async function stockedItem(min: number) {
  const level = t.store.shop().catalog.levels.find((l) => l.locationId === LOC && l.quantities.available >= min && !usedItems.has(l.inventoryItemId))!;
  usedItems.add(level.inventoryItemId);
  const inventoryItemId = `gid://shopify/InventoryItem/${level.inventoryItemId}`;
  await ledger.recordShopifyAvailable(DEFAULT_SHOP, {
    inventoryItemId,
    locationId: `gid://shopify/Location/${LOC}`,
    available: level.quantities.available,
    updatedAt: new Date(level.updatedAt),
  });
  return { level, inventoryItemId, original: level.quantities.available };
}
const usedItems = new Set<number>();
const ledgerRow = (inventoryItemId: string) =>
  t.db.stockLevel.findUniqueOrThrow({
    where: { shop_inventoryItemId_locationId: { shop: DEFAULT_SHOP, inventoryItemId, locationId: `gid://shopify/Location/${LOC}` } },
  });
const hard = async (inventoryItemId: string, quantity: number) => {
  const r = await h.hold(DEFAULT_SHOP, {
    owner: { type: "checkout", id: crypto.randomUUID() },
    kind: "hard",
    lines: [{ inventoryItemId, locationId: `gid://shopify/Location/${LOC}`, quantity }],
  });
  if (!r.ok) throw new Error("hold failed");
  return r.hold;
};

describe("the Shopify mirror", () => {
  it("moves a hard hold's units from available to reserved, with the hold as reference and ledger document", async () => {
    const { level, inventoryItemId, original } = await stockedItem(3);
    const held = await hard(inventoryItemId, 2);
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 1, retry: 0, parked: 0 });
    expect(level.quantities).toMatchObject({ available: original - 2, reserved: 2 });
    const group = t.store.shop().adjustmentGroups.at(-1)!;
    expect(group.referenceDocumentUri).toBe(`gid://holdfast/Hold/${held.id}`);
    expect(group.changes.find((c) => c.name === "reserved")?.ledgerDocumentUri).toBe(`gid://holdfast/Hold/${held.id}`);
    await t.store.webhooks.settle();
    // Sellable is unchanged by the mirror: Shopify's available went down as Holdfast's mirrored went up.
    expect(await ledgerRow(inventoryItemId)).toMatchObject({ shopifyAvailable: original - 2, mirrored: 2, held: 2, hardHeld: 2 });
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 0, retry: 0, parked: 0 });
  });

  it("Shopify down during a release, then back: the units return exactly once", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const held = await hard(inventoryItemId, 1);
    await mirror.drainInventoryMoves(options());
    await h.release(DEFAULT_SHOP, held.id, "shopper left");
    expect((await ledgerRow(inventoryItemId)).held).toBe(0); // free for other shoppers at once
    t.store.faults.push({ path: "graphql\\.json$", status: 503 });
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 0, retry: 1, parked: 0 });
    expect(level.quantities).toMatchObject({ available: original - 1, reserved: 1 });
    const task = await t.db.shopifyInventoryMove.findUniqueOrThrow({ where: { id: `${held.id}:unreserve` } });
    expect(task.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    t.store.faults.length = 0;
    const later = new Date(Date.now() + 3600_000);
    expect(await mirror.drainInventoryMoves(options(later))).toEqual({ done: 1, retry: 0, parked: 0 });
    expect(await mirror.drainInventoryMoves(options(later))).toEqual({ done: 0, retry: 0, parked: 0 });
    expect(level.quantities).toMatchObject({ available: original, reserved: 0 });
    await t.store.webhooks.settle();
    expect(await ledgerRow(inventoryItemId)).toMatchObject({ shopifyAvailable: original, mirrored: 0, held: 0 });
  });

  it("a response lost after Shopify applied the move is retried under the same key and applied once", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const groupsBefore = t.store.shop().adjustmentGroups.length;
    t.store.faults.push({ path: "graphql\\.json$", bodyPattern: "inventoryMoveQuantities", dropResponse: true, times: 1 });
    await hard(inventoryItemId, 1);
    expect((await mirror.drainInventoryMoves(options())).done).toBe(1);
    expect(t.store.shop().adjustmentGroups.length).toBe(groupsBefore + 1);
    expect(level.quantities).toMatchObject({ available: original - 1, reserved: 1 });
  });

  it("a stale changeFromQuantity is read again and sent under a new key", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const held = await hard(inventoryItemId, 1);
    await mirror.queueReserves();
    const stale = {
      reason: "reserved",
      referenceDocumentUri: `gid://holdfast/Hold/${held.id}`,
      changes: [
        {
          inventoryItemId,
          quantity: 1,
          from: { locationId: `gid://shopify/Location/${LOC}`, name: "available", changeFromQuantity: original + 5 },
          to: { locationId: `gid://shopify/Location/${LOC}`, name: "reserved", changeFromQuantity: 0, ledgerDocumentUri: `gid://holdfast/Hold/${held.id}` },
        },
      ],
    };
    await t.db.shopifyInventoryMove.update({ where: { id: `${held.id}:reserve` }, data: { request: JSON.stringify(stale) } });
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 0, retry: 1, parked: 0 });
    expect((await t.db.shopifyInventoryMove.findUniqueOrThrow({ where: { id: `${held.id}:reserve` } })).generation).toBe(1);
    const second = await mirror.drainInventoryMoves(options(new Date(Date.now() + 3600_000)));
    expect(second, (await t.db.shopifyInventoryMove.findUniqueOrThrow({ where: { id: `${held.id}:reserve` } })).lastError ?? "").toEqual({
      done: 1,
      retry: 0,
      parked: 0,
    });
    expect(level.quantities).toMatchObject({ available: original - 1, reserved: 1 });
  });

  it("a hold released before its reserve was queued: no move is written, none goes to Shopify", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const groupsBefore = t.store.shop().adjustmentGroups.length;
    const held = await hard(inventoryItemId, 1);
    expect((await t.db.hold.findUniqueOrThrow({ where: { id: held.id } })).reservePending).toBe(true);
    await h.release(DEFAULT_SHOP, held.id, "shopper left at once");
    expect((await t.db.hold.findUniqueOrThrow({ where: { id: held.id } })).reservePending).toBe(false);
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 0, retry: 0, parked: 0 });
    expect(await t.db.shopifyInventoryMove.count({ where: { holdId: held.id } })).toBe(0);
    expect(t.store.shop().adjustmentGroups.length).toBe(groupsBefore);
    expect(level.quantities).toMatchObject({ available: original, reserved: 0 });
    expect(await ledgerRow(inventoryItemId)).toMatchObject({ mirrored: 0, held: 0 });
  });

  it("a hold released after its reserve was queued but before it was sent: both moves are skipped", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const groupsBefore = t.store.shop().adjustmentGroups.length;
    const held = await hard(inventoryItemId, 1);
    expect(await mirror.queueReserves()).toBeGreaterThanOrEqual(1);
    expect(await mirror.queueReserves()).toBe(0); // each reserve is queued once
    await h.release(DEFAULT_SHOP, held.id, "shopper left at once");
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 0, retry: 0, parked: 0 });
    const moves = await t.db.shopifyInventoryMove.findMany({ where: { holdId: held.id }, orderBy: { id: "asc" } });
    expect(moves.map((m) => [m.action, m.state])).toEqual([
      ["reserve", "skipped"],
      ["unreserve", "skipped"],
    ]);
    expect(t.store.shop().adjustmentGroups.length).toBe(groupsBefore);
    expect(level.quantities).toMatchObject({ available: original, reserved: 0 });
    expect(await ledgerRow(inventoryItemId)).toMatchObject({ mirrored: 0, held: 0 });
  });

  it("a move back waits for its reserve still in flight (an instance died sending it), then follows it", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const held = await hard(inventoryItemId, 1);
    // The reserve reached Shopify, and the instance sending it died before recording it: leased for a while.
    t.store.faults.push({ path: "graphql\\.json$", bodyPattern: "inventoryMoveQuantities", dropResponse: true, times: 1 });
    const inFlight = await mirror.drainInventoryMoves({ ...options(), retryPolicy: { ...fastRetries, maxAttempts: 1 } });
    expect(inFlight.retry).toBe(1);
    expect(level.quantities).toMatchObject({ available: original - 1, reserved: 1 });
    await h.release(DEFAULT_SHOP, held.id, "shopper left");
    // The unreserve is due now, the reserve later: the unreserve must not go first.
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 0, retry: 0, parked: 0 });
    expect(level.quantities).toMatchObject({ available: original - 1, reserved: 1 });
    const later = options(new Date(Date.now() + 3600_000));
    expect(await mirror.drainInventoryMoves(later)).toEqual({ done: 2, retry: 0, parked: 0 });
    expect(level.quantities).toMatchObject({ available: original, reserved: 0 });
    await t.store.webhooks.settle();
    expect(await ledgerRow(inventoryItemId)).toMatchObject({ mirrored: 0, held: 0 });
  });

  it("a report with the ledger's own time but another quantity is settled by asking Shopify", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const locationId = `gid://shopify/Location/${LOC}`;
    // Another report of the same second said one more (which one is older, the times cannot tell).
    await t.db.stockLevel.update({
      where: { shop_inventoryItemId_locationId: { shop: DEFAULT_SHOP, inventoryItemId, locationId } },
      data: { shopifyAvailable: original + 1 },
    });
    const [delivery] = await t.store.sendWebhook(DEFAULT_SHOP, "inventory_levels/update", {
      inventory_item_id: level.inventoryItemId,
      location_id: LOC,
      available: original,
      updated_at: level.updatedAt,
    });
    expect(delivery.delivered).toBe(true);
    expect(await ledgerRow(inventoryItemId)).toMatchObject({ shopifyAvailable: original });
    // A stale report (older time) is still ignored without asking.
    await t.store.sendWebhook(DEFAULT_SHOP, "inventory_levels/update", {
      inventory_item_id: level.inventoryItemId,
      location_id: LOC,
      available: original + 7,
      updated_at: new Date(Date.parse(level.updatedAt) - 60_000).toISOString(),
    });
    expect(await ledgerRow(inventoryItemId)).toMatchObject({ shopifyAvailable: original });
  });

  it("does not mirror soft holds", async () => {
    const held = await h.hold(DEFAULT_SHOP, {
      owner: { type: "cart", id: "ghost" },
      kind: "soft",
      lines: [{ inventoryItemId: (await stockedItem(1)).inventoryItemId, locationId: `gid://shopify/Location/${LOC}`, quantity: 1 }],
    });
    expect(held.ok).toBe(true);
    // A soft hold is not mirrored at all.
    expect(await t.db.shopifyInventoryMove.count({ where: { holdId: held.ok ? held.hold.id : "" } })).toBe(0);
  });

  it("a soft hold that hardens at checkout start is mirrored from then on", async () => {
    const { level, inventoryItemId, original } = await stockedItem(2);
    const owner = { type: "checkout" as const, id: "co_hardens" };
    const lines = [{ inventoryItemId, locationId: `gid://shopify/Location/${LOC}`, quantity: 2 }];
    const soft = await h.holdForOwner(DEFAULT_SHOP, { owner, kind: "soft", lines });
    expect(soft.ok && (await t.db.hold.findUniqueOrThrow({ where: { id: soft.hold.id } })).reservePending).toBe(false);
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 0, retry: 0, parked: 0 });
    const hard = await h.holdForOwner(DEFAULT_SHOP, { owner, kind: "hard", lines });
    expect(hard.ok && soft.ok && hard.hold.id).toBe(soft.ok && soft.hold.id);
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 1, retry: 0, parked: 0 });
    expect(level.quantities).toMatchObject({ available: original - 2, reserved: 2 });
    await h.commit(DEFAULT_SHOP, hard.ok ? hard.hold.id : "", "order placed");
    expect(await mirror.drainInventoryMoves(options())).toEqual({ done: 1, retry: 0, parked: 0 });
    expect(level.quantities).toMatchObject({ available: original, reserved: 0 });
  });
});
