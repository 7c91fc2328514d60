// Checks the hold ledger against the active holds and against Shopify, repairs what it safely
// can, and records every finding. Runs on a schedule (workers) and on demand (admin).
import db, { currentDatabaseProvider } from "../db.server";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { ACTIVE_STATES, activeHoldsOf, expireDueHolds } from "./holds.server";
import { recordShopifyAvailable } from "./ledger.server";
import { inventoryLevelGid } from "./mirror.server";

export const RECONCILE_LEVELS_QUERY = `#graphql
  query HoldReconcileLevels($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryLevel {
        updatedAt
        item { id }
        location { id }
        quantities(names: ["available", "reserved"]) { name quantity }
      }
    }
  }
`;

/** A hold this late past its expiry means the sweeper is not keeping up. */
const OVERDUE_MS = 60_000;
const BATCH = 50;

export interface Finding {
  kind: string;
  subject: string;
  detail: Record<string, unknown>;
  repaired: boolean;
}

async function record(shop: string, findings: Finding[], f: Finding) {
  findings.push(f);
  await db.reconcileFinding.create({ data: { shop, kind: f.kind, subject: f.subject, detail: JSON.stringify(f.detail), repaired: f.repaired } });
}

type ActiveHolds = Awaited<ReturnType<typeof activeHoldsOf>>;

/** What the active holds take from one stock row. */
function activeHeld(holds: ActiveHolds, inventoryItemId: string, locationId: string) {
  let held = 0;
  let hardHeld = 0;
  for (const h of holds)
    for (const l of h.lines)
      if (l.inventoryItemId === inventoryItemId && l.locationId === locationId) {
        held += l.quantity;
        if (h.kind === "hard") hardHeld += l.quantity;
      }
  return { held, hardHeld };
}

/** The ledger's held quantities equal the sum of the active holds' lines; a drifted row is recomputed under its lock. */
async function checkHeld(shop: string, findings: Finding[]) {
  const rows = await db.stockLevel.findMany({ where: { shop } });
  const holds = await activeHoldsOf(shop);
  for (const row of rows) {
    const expected = activeHeld(holds, row.inventoryItemId, row.locationId);
    if (expected.held === row.held && expected.hardHeld === row.hardHeld) continue;
    // Look again inside a transaction that holds the row, so a hold placed meanwhile is counted.
    const repaired = await db.$transaction(async (tx) => {
      if (currentDatabaseProvider() === "postgres")
        await tx.$queryRaw`SELECT 1 FROM "StockLevel" WHERE "shop" = ${shop} AND "inventoryItemId" = ${row.inventoryItemId} AND "locationId" = ${row.locationId} FOR UPDATE`;
      const now = await tx.stockLevel.findUniqueOrThrow({
        where: { shop_inventoryItemId_locationId: { shop, inventoryItemId: row.inventoryItemId, locationId: row.locationId } },
      });
      const want = activeHeld(await activeHoldsOf(shop, undefined, tx), row.inventoryItemId, row.locationId);
      if (want.held === now.held && want.hardHeld === now.hardHeld) return null;
      await tx.stockLevel.update({
        where: { shop_inventoryItemId_locationId: { shop, inventoryItemId: row.inventoryItemId, locationId: row.locationId } },
        data: want,
      });
      return { expected: want, found: { held: now.held, hardHeld: now.hardHeld } };
    });
    if (repaired) await record(shop, findings, { kind: "held_drift", subject: `${row.inventoryItemId}@${row.locationId}`, detail: repaired, repaired: true });
  }
}

/** Shopify's available and reserved quantities agree with the ledger (moves in flight excepted). */
async function checkShopify(shop: string, admin: AdminGraphqlClient, findings: Finding[]) {
  // Lines of holds whose reserve is waiting for the outbox, or whose moves are in it.
  const inFlight = await db.shopifyInventoryMove.findMany({ where: { shop, state: { in: ["pending", "parked"] } }, select: { holdId: true } });
  const busyHolds = await db.hold.findMany({
    where: { shop, OR: [{ id: { in: inFlight.map((m) => m.holdId) } }, { reservePending: true }] },
    select: { lines: true },
  });
  const busy = new Set(
    busyHolds.flatMap((h) => (JSON.parse(h.lines) as { inventoryItemId: string; locationId: string }[]).map((l) => `${l.inventoryItemId}@${l.locationId}`)),
  );
  const rows = (await db.stockLevel.findMany({ where: { shop } })).filter((r) => !busy.has(`${r.inventoryItemId}@${r.locationId}`));
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    // Taken before the read: a change Shopify makes after it carries a later time and is kept.
    const readAt = Date.now();
    const { data } = await adminGraphql<{
      nodes: ({ updatedAt: string; item: { id: string }; location: { id: string }; quantities: { name: string; quantity: number }[] } | null)[];
    }>(admin, RECONCILE_LEVELS_QUERY, { ids: batch.map((r) => inventoryLevelGid(r.inventoryItemId, r.locationId)) });
    for (const row of batch) {
      const level = data.nodes.find((n) => n?.item.id === row.inventoryItemId && n.location.id === row.locationId);
      if (!level) continue;
      const q = (name: string) => level.quantities.find((x) => x.name === name)?.quantity ?? 0;
      const subject = `${row.inventoryItemId}@${row.locationId}`;
      if (q("available") !== row.shopifyAvailable) {
        const { released } = await recordShopifyAvailable(
          shop,
          {
            inventoryItemId: row.inventoryItemId,
            locationId: row.locationId,
            available: q("available"),
            updatedAt: new Date(Math.max(Date.parse(level.updatedAt), readAt)),
          },
          { asRead: true, admin: async () => admin },
        );
        await record(shop, findings, {
          kind: "shopify_drift",
          subject,
          detail: { expected: q("available"), found: row.shopifyAvailable, releasedHolds: released },
          repaired: true,
        });
      }
      if (row.mirrored > q("reserved"))
        // Something outside Holdfast moved our reserved units; a person should look.
        await record(shop, findings, {
          kind: "mirror_exceeds_reserved",
          subject,
          detail: { mirrored: row.mirrored, shopifyReserved: q("reserved") },
          repaired: false,
        });
    }
  }
}

export async function reconcileShop(shop: string, admin: AdminGraphqlClient, now = new Date()): Promise<Finding[]> {
  const findings: Finding[] = [];
  const overdue = await db.hold.findMany({
    where: { shop, state: { in: ACTIVE_STATES }, expiresAt: { lte: new Date(now.getTime() - OVERDUE_MS) } },
    select: { id: true, expiresAt: true },
  });
  if (overdue.length) await expireDueHolds(now);
  for (const h of overdue)
    await record(shop, findings, { kind: "hold_past_expiry", subject: h.id, detail: { expiresAt: h.expiresAt.toISOString() }, repaired: true });

  const parked = await db.shopifyInventoryMove.findMany({ where: { shop, state: "parked" } });
  for (const move of parked) {
    // Back in the queue with a fresh read and a new key; it parks again if Shopify still refuses.
    await db.shopifyInventoryMove.updateMany({
      where: { id: move.id, state: "parked" },
      data: { state: "pending", attempts: 0, request: null, generation: { increment: 1 }, nextAttemptAt: now },
    });
    await record(shop, findings, {
      kind: "move_parked",
      subject: move.id,
      detail: { action: move.action, lastError: move.lastError, attempts: move.attempts },
      repaired: true,
    });
  }
  await checkHeld(shop, findings);
  await checkShopify(shop, admin, findings);
  return findings;
}

export async function recentFindings(shop: string, take = 20) {
  return db.reconcileFinding.findMany({ where: { shop }, orderBy: { id: "desc" }, take });
}
