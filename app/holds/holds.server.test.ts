import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

let t: TestApp;
let h: typeof import("./holds.server");
let ledger: typeof import("./ledger.server");
const SHOP = "holdfast-dev.myshopify.com";
const LOC = "gid://shopify/Location/1001";
const item = (n: number) => `gid://shopify/InventoryItem/${n}`;
let nextItem = 70000;

beforeAll(async () => {
  t = await startTestApp();
  h = await import("./holds.server");
  ledger = await import("./ledger.server");
});
afterAll(async () => t?.close());

/** A fresh SKU with `available` units at LOC. */
async function sku(available: number) {
  const inventoryItemId = item(nextItem++);
  await ledger.recordShopifyAvailable(SHOP, { inventoryItemId, locationId: LOC, available, updatedAt: new Date() });
  return inventoryItemId;
}
const level = (inventoryItemId: string) =>
  t.db.stockLevel.findUniqueOrThrow({ where: { shop_inventoryItemId_locationId: { shop: SHOP, inventoryItemId, locationId: LOC } } });
const owner = (id = crypto.randomUUID()) => ({ type: "cart" as const, id });

describe("holds under contention", () => {
  it("300 concurrent single-unit holds on a SKU with 7 units: exactly 7 succeed, none oversold", async () => {
    const id = await sku(7);
    const results = await Promise.all(
      Array.from({ length: 300 }, () => h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: id, locationId: LOC, quantity: 1 }] })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    const failed = results.find((r) => !r.ok);
    expect(failed).toEqual({ ok: false, reason: "unavailable", lines: [{ inventoryItemId: id, locationId: LOC, quantity: 1, available: 0 }] });
    expect(await level(id)).toMatchObject({ held: 7, hardHeld: 7, shopifyAvailable: 7 });
  });

  it("randomized multi-line holds: every success fits, every failure took nothing", async () => {
    const stock = [await sku(9), await sku(4), await sku(13)];
    const seeded = (() => {
      let s = 42;
      return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    })();
    const requests = Array.from({ length: 200 }, () => {
      const lines = stock.filter(() => seeded() < 0.6).map((inventoryItemId) => ({ inventoryItemId, locationId: LOC, quantity: 1 + Math.floor(seeded() * 3) }));
      return lines.length ? lines : [{ inventoryItemId: stock[0], locationId: LOC, quantity: 1 }];
    });
    const results = await Promise.all(requests.map((lines) => h.hold(SHOP, { owner: owner(), kind: "hard", lines })));
    const heldBy = new Map<string, number>();
    results.forEach((r, i) => {
      if (r.ok) for (const l of requests[i]) heldBy.set(l.inventoryItemId, (heldBy.get(l.inventoryItemId) ?? 0) + l.quantity);
    });
    expect(results.some((r) => r.ok)).toBe(true);
    expect(results.some((r) => !r.ok)).toBe(true);
    for (const [i, id] of stock.entries()) {
      const l = await level(id);
      expect(l.held).toBe(heldBy.get(id) ?? 0);
      expect(l.held).toBeLessThanOrEqual([9, 4, 13][i]);
    }
    // The ledger equals the sum of the active holds' lines.
    const lines = (await t.db.hold.findMany({ where: { state: "held" }, select: { lines: true } })).flatMap(
      (x) => JSON.parse(x.lines) as { inventoryItemId: string; quantity: number }[],
    );
    for (const id of stock) expect(lines.filter((l) => l.inventoryItemId === id).reduce((s, l) => s + l.quantity, 0)).toBe((await level(id)).held);
  });

  it("holds placed together: one owner's refusal and one short hold leave the others placed, and nothing of theirs taken", async () => {
    const a = await sku(10);
    const b = await sku(1);
    const taken = owner();
    const first = await h.hold(SHOP, { owner: taken, kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] });
    expect(first.ok).toBe(true);
    const together = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] })),
      h.hold(SHOP, { owner: taken, kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] }),
      // a's line fits, b's does not: a's unit must come back.
      h.hold(SHOP, {
        owner: owner(),
        kind: "hard",
        lines: [
          { inventoryItemId: a, locationId: LOC, quantity: 2 },
          { inventoryItemId: b, locationId: LOC, quantity: 2 },
        ],
      }),
      ...Array.from({ length: 4 }, () => h.hold(SHOP, { owner: owner(), kind: "soft", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] })),
    ]);
    expect(together.map((r) => (r.status === "fulfilled" ? (r.value.ok ? "placed" : "short") : (r.reason as { code?: string }).code))).toEqual([
      "placed",
      "placed",
      "placed",
      "placed",
      "not_active",
      "short",
      "placed",
      "placed",
      "placed",
      "placed",
    ]);
    const short = together[5].status === "fulfilled" && !together[5].value.ok ? together[5].value.lines : [];
    // What is available when the refusal was answered: b is the short line.
    expect(short.map((l) => [l.inventoryItemId, l.quantity])).toEqual([
      [a, 2],
      [b, 2],
    ]);
    expect(short[0].available).toBeGreaterThanOrEqual(1);
    expect(short[1].available).toBe(1);
    expect(await level(a)).toMatchObject({ held: 9, hardHeld: 5 });
    expect(await level(b)).toMatchObject({ held: 0, hardHeld: 0 });
  });

  it("release and expiry racing each other end each hold exactly once", async () => {
    const id = await sku(40);
    const holds = await Promise.all(
      Array.from({ length: 40 }, () =>
        h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: id, locationId: LOC, quantity: 1 }], ttlMinutes: 10 }),
      ),
    );
    const ids = holds.map((r) => (r.ok ? r.hold.id : "")).filter(Boolean);
    expect(ids).toHaveLength(40);
    // Their reserves are in the outbox, so each end queues exactly one move back.
    const { queueReserves } = await import("./mirror.server");
    expect(await queueReserves()).toBeGreaterThanOrEqual(40);
    const future = new Date(Date.now() + 11 * 60_000);
    await Promise.all([
      ...ids.map((holdId) => h.release(SHOP, holdId)),
      ...ids.map((holdId) => h.release(SHOP, holdId)),
      h.expireDueHolds(future),
      h.expireDueHolds(future),
      h.expireDueHolds(future),
    ]);
    expect(await level(id)).toMatchObject({ held: 0, hardHeld: 0 });
    const ends = await t.db.holdEvent.findMany({ where: { holdId: { in: ids }, toState: { in: ["released", "expired"] } } });
    expect(ends).toHaveLength(40);
    const moves = await t.db.shopifyInventoryMove.findMany({ where: { holdId: { in: ids } } });
    expect(moves.filter((m) => m.action === "reserve")).toHaveLength(40);
    expect(moves.filter((m) => m.action === "unreserve")).toHaveLength(40);
  });
});

describe("a hold", () => {
  it("is all or nothing, naming the lines and what is available", async () => {
    const a = await sku(5);
    const b = await sku(1);
    const result = await h.hold(SHOP, {
      owner: owner(),
      kind: "hard",
      lines: [
        { inventoryItemId: a, locationId: LOC, quantity: 2 },
        { inventoryItemId: b, locationId: LOC, quantity: 2 },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.lines.map((l) => [l.quantity, l.available])).toEqual([
        [2, 5],
        [2, 1],
      ]);
    expect((await level(a)).held).toBe(0);
    expect((await level(b)).held).toBe(0);
    expect(await t.db.hold.count({ where: { lines: { contains: b } } })).toBe(0);
  });

  it("refuses bad lines with a clear reason and changes nothing", async () => {
    const a = await sku(5);
    for (const lines of [
      [],
      [{ inventoryItemId: a, locationId: LOC, quantity: 0 }],
      [{ inventoryItemId: a, locationId: LOC, quantity: 1.5 }],
      [{ inventoryItemId: "sku-1", locationId: LOC, quantity: 1 }],
      "nope",
    ]) {
      await expect(h.hold(SHOP, { owner: owner(), kind: "hard", lines })).rejects.toMatchObject({ name: "HoldError", code: "invalid_lines" });
    }
    expect((await level(a)).held).toBe(0);
  });

  it("merges duplicate lines", async () => {
    const a = await sku(5);
    const r = await h.hold(SHOP, {
      owner: owner(),
      kind: "soft",
      lines: [
        { inventoryItemId: a, locationId: LOC, quantity: 2 },
        { inventoryItemId: a, locationId: LOC, quantity: 2 },
      ],
    });
    expect(r.ok && r.hold.lines).toEqual([{ inventoryItemId: a, locationId: LOC, quantity: 4 }]);
    expect(await level(a)).toMatchObject({ held: 4, hardHeld: 0 });
  });

  it("lives for the shop's TTL, extends once by a bounded amount, and records its history", async () => {
    await t.db.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP, holdTtlMinutes: 12 }, update: { holdTtlMinutes: 12 } });
    const a = await sku(3);
    const r = await h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] });
    if (!r.ok) throw new Error("hold failed");
    expect(r.hold.remainingSeconds).toBeGreaterThan(12 * 60 - 5);
    expect(r.hold.remainingSeconds).toBeLessThanOrEqual(12 * 60);
    await expect(h.extend(SHOP, r.hold.id, 30)).rejects.toMatchObject({ code: "invalid_lines" });
    const extended = await h.extend(SHOP, r.hold.id, 10);
    expect(extended).toMatchObject({ state: "extended", extended: true });
    await expect(h.extend(SHOP, r.hold.id, 10)).rejects.toMatchObject({ code: "already_extended" });
    const committed = await h.commit(SHOP, r.hold.id);
    expect(committed.state).toBe("committed");
    expect(await h.commit(SHOP, r.hold.id)).toMatchObject({ state: "committed" }); // idempotent
    expect(await h.release(SHOP, r.hold.id)).toMatchObject({ state: "committed" }); // ended holds stay ended
    expect((await level(a)).held).toBe(0);
    expect((await h.history(SHOP, r.hold.id)).map((e) => [e.fromState, e.toState, e.reason])).toEqual([
      [null, "held", "created"],
      ["held", "extended", "extended for payment"],
      ["extended", "committed", "order placed"],
    ]);
    await t.db.shop.update({ where: { domain: SHOP }, data: { holdTtlMinutes: 15 } });
  });

  it("cannot be committed once past its expiry", async () => {
    const a = await sku(3);
    const r = await h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] });
    if (!r.ok) throw new Error("hold failed");
    await t.db.hold.update({ where: { id: r.hold.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(h.commit(SHOP, r.hold.id)).rejects.toMatchObject({ code: "not_active" });
    expect(await h.expireDueHolds()).toBeGreaterThanOrEqual(1);
    expect((await h.status(SHOP, r.hold.id)).state).toBe("expired");
    expect((await level(a)).held).toBe(0);
  });

  it("one active hold per owner: refreshing keeps it, new lines replace it, a soft hold hardens", async () => {
    const a = await sku(5);
    const b = await sku(2);
    const checkout = { type: "checkout" as const, id: "tok_123" };
    const first = await h.holdForOwner(SHOP, { owner: checkout, kind: "soft", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 2 }] });
    const again = await h.holdForOwner(SHOP, { owner: checkout, kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 2 }] });
    expect(first.ok && again.ok && again.hold.id === first.hold.id).toBe(true);
    expect(again.ok && again.hold.kind).toBe("hard");
    expect(await level(a)).toMatchObject({ held: 2, hardHeld: 2 });
    // New lines that cannot be held leave the current hold as it was.
    const tooMany = await h.holdForOwner(SHOP, { owner: checkout, kind: "hard", lines: [{ inventoryItemId: b, locationId: LOC, quantity: 3 }] });
    expect(tooMany.ok).toBe(false);
    expect(await level(a)).toMatchObject({ held: 2 });
    const replaced = await h.holdForOwner(SHOP, { owner: checkout, kind: "hard", lines: [{ inventoryItemId: b, locationId: LOC, quantity: 2 }] });
    expect(replaced.ok && replaced.hold.id).not.toBe(first.ok && first.hold.id);
    expect(await level(a)).toMatchObject({ held: 0 });
    expect(await level(b)).toMatchObject({ held: 2, hardHeld: 2 });
    expect((await h.activeHoldOf(SHOP, checkout))?.lines).toEqual([{ inventoryItemId: b, locationId: LOC, quantity: 2 }]);
  });

  it("hard holds win over soft ones when stock runs short", async () => {
    const a = await sku(3);
    const soft1 = await h.hold(SHOP, { owner: owner(), kind: "soft", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] });
    const soft2 = await h.hold(SHOP, { owner: owner(), kind: "soft", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 2 }] });
    const softDenied = await h.hold(SHOP, { owner: owner(), kind: "soft", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 1 }] });
    expect(softDenied.ok).toBe(false);
    const hard = await h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 2 }] });
    expect(hard.ok).toBe(true);
    // The newest soft hold gave way; the older one still stands.
    expect((await h.status(SHOP, soft2.ok ? soft2.hold.id : "")).state).toBe("released");
    expect((await h.status(SHOP, soft1.ok ? soft1.hold.id : "")).state).toBe("held");
    expect(await level(a)).toMatchObject({ held: 3, hardHeld: 2 });
    const hardDenied = await h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 2 }] });
    expect(hardDenied.ok).toBe(false);
  });
});

describe("the ledger", () => {
  it("database constraints make an over-sold or negative row impossible", async () => {
    const a = await sku(2);
    await expect(
      t.db.stockLevel.update({ where: { shop_inventoryItemId_locationId: { shop: SHOP, inventoryItemId: a, locationId: LOC } }, data: { held: 3 } }),
    ).rejects.toThrow();
    await expect(
      t.db.stockLevel.update({ where: { shop_inventoryItemId_locationId: { shop: SHOP, inventoryItemId: a, locationId: LOC } }, data: { held: -1 } }),
    ).rejects.toThrow();
    expect((await level(a)).held).toBe(0);
  });

  it("ignores stale Shopify reports, and releases the newest holds (soft first) when Shopify has less than is held", async () => {
    const a = await sku(5);
    const hard = await h.hold(SHOP, { owner: owner(), kind: "hard", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 2 }] });
    const soft = await h.hold(SHOP, { owner: owner(), kind: "soft", lines: [{ inventoryItemId: a, locationId: LOC, quantity: 2 }] });
    await ledger.recordShopifyAvailable(SHOP, { inventoryItemId: a, locationId: LOC, available: 0, updatedAt: new Date(Date.now() - 3600_000) });
    expect((await level(a)).shopifyAvailable).toBe(5);
    const { released } = await ledger.recordShopifyAvailable(SHOP, {
      inventoryItemId: a,
      locationId: LOC,
      available: 3,
      updatedAt: new Date(Date.now() + 1000),
    });
    expect(released).toEqual([soft.ok && soft.hold.id]);
    expect(await level(a)).toMatchObject({ shopifyAvailable: 3, held: 2 });
    expect((await h.status(SHOP, hard.ok ? hard.hold.id : "")).state).toBe("held");
  });
});
