// A shopper refused a hold, recorded as it happens for the merchant's results (issue 14): how
// many units were asked and missing, how many of the missing ones Shopify still counted as
// available (other shoppers' holds had them: without holds both shoppers would have bought
// them), and, per contested item, when it last happened (ItemRefusal). A hold committed after
// such a refusal on one of its items protected a sale: it is marked as it is committed.
import db, { type Tx } from "../db.server";

interface RefusedLine {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
}

/** What a refusal counts, from each line's quantity and its stock row (Shopify's units, and the part holds take). */
export function refusalFigures(lines: RefusedLine[], stock: Map<string, { units: number; held: number }>) {
  let units = 0;
  let shortUnits = 0;
  let contestedUnits = 0;
  const contestedItems: string[] = [];
  for (const line of lines) {
    const row = stock.get(`${line.inventoryItemId}@${line.locationId}`) ?? { units: 0, held: 0 };
    const free = Math.max(0, row.units - row.held);
    const short = Math.max(0, line.quantity - free);
    // Units Shopify would have sold this shopper, had holds not kept them for others.
    const contested = Math.min(short, Math.max(0, Math.min(line.quantity, row.units) - free));
    units += line.quantity;
    shortUnits += short;
    contestedUnits += contested;
    if (contested > 0) contestedItems.push(line.inventoryItemId);
  }
  return { units, shortUnits, contestedUnits, contestedItems };
}

/** A shopper refused again within this time (a page asking again) is the same refusal. */
const SAME_REFUSAL_MS = 30 * 60_000;
/** Refusals are written together, this often: one commit for many (a drop refuses hundreds a second). */
const FLUSH_MS = 250;

interface Refusal extends ReturnType<typeof refusalFigures> {
  shop: string;
  ownerType: string;
  ownerId: string;
  at: Date;
}

const queue: Refusal[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let writing: Promise<void> = Promise.resolve();

/**
 * Records a refusal: its figures from the stock as it is now (one read), the write queued with the
 * others of the next quarter second — each written alone, one commit apiece, cut the hold bench's
 * throughput on a hot item 17-fold. Never fails the shopper's request.
 */
export async function recordRefusal(shop: string, owner: { type: string; id: string }, lines: RefusedLine[], at = new Date()): Promise<void> {
  try {
    const rows = await db.stockLevel.findMany({
      where: { shop, OR: lines.map(({ inventoryItemId, locationId }) => ({ inventoryItemId, locationId })) },
      select: { inventoryItemId: true, locationId: true, shopifyAvailable: true, mirrored: true, held: true },
    });
    const stock = new Map(rows.map((r) => [`${r.inventoryItemId}@${r.locationId}`, { units: r.shopifyAvailable + r.mirrored, held: r.held }]));
    queue.push({ shop, ownerType: owner.type, ownerId: owner.id, at, ...refusalFigures(lines, stock) });
  } catch (error) {
    console.error(`${shop}: a refused hold was not recorded for the results: ${(error as Error).message}`);
    return;
  }
  if (!timer) {
    timer = setTimeout(() => void flushRefusals(), FLUSH_MS);
    timer.unref?.();
  }
}

/** Writes the queued refusals now (before a commit reads them, before Home counts them); resolves once written. */
export function flushRefusals(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = queue.splice(0);
  writing = writing.then(() => (batch.length ? writeRefusals(batch) : undefined));
  return writing;
}

async function writeRefusals(batch: Refusal[]): Promise<void> {
  const byShop = new Map<string, Refusal[]>();
  for (const r of batch) byShop.set(r.shop, [...(byShop.get(r.shop) ?? []), r]);
  for (const [shop, refusals] of byShop)
    try {
      // The same shopper asking again (in this batch, or written in the last half hour) is one refusal.
      const earliest = new Date(Math.min(...refusals.map((r) => r.at.getTime())) - SAME_REFUSAL_MS);
      const owners = [...new Map(refusals.map((r) => [`${r.ownerType}|${r.ownerId}`, r])).values()];
      // By owner type, the owners' ids IN a list: the (shop, ownerType, ownerId, at) index, not a scan of the half hour.
      const seen = (
        await Promise.all(
          [...new Set(owners.map((o) => o.ownerType))].map((ownerType) =>
            db.holdRefusal.findMany({
              where: { shop, ownerType, ownerId: { in: owners.filter((o) => o.ownerType === ownerType).map((o) => o.ownerId) }, at: { gt: earliest } },
              select: { ownerType: true, ownerId: true },
            }),
          ),
        )
      ).flat();
      const known = new Set(seen.map((r) => `${r.ownerType}|${r.ownerId}`));
      const fresh = owners.filter((r) => !known.has(`${r.ownerType}|${r.ownerId}`));
      if (!fresh.length) continue;
      const lastContested = new Map<string, Date>();
      for (const r of fresh) for (const item of r.contestedItems) lastContested.set(item, r.at);
      await db.$transaction([
        db.holdRefusal.createMany({
          data: fresh.map((r) => ({
            shop,
            ownerType: r.ownerType,
            ownerId: r.ownerId,
            units: r.units,
            shortUnits: r.shortUnits,
            contestedUnits: r.contestedUnits,
            at: r.at,
          })),
        }),
        // One row per contested item (not an update of every live hold).
        ...[...lastContested].map(([inventoryItemId, lastAt]) =>
          db.itemRefusal.upsert({ where: { shop_inventoryItemId: { shop, inventoryItemId } }, create: { shop, inventoryItemId, lastAt }, update: { lastAt } }),
        ),
      ]);
    } catch (error) {
      // The shopper's answer never waits for, or fails with, the merchant's figures.
      console.error(`${shop}: refused holds were not recorded for the results: ${(error as Error).message}`);
    }
}

/**
 * A hold just committed protected a sale if a shopper was refused one of its items (with units
 * holds had taken) after it was placed: its contestedAt is that moment. One statement, by the
 * hold's items; called by every path that commits a hold.
 */
export async function markSaleSaved(holdId: string, client: Pick<Tx, "$executeRaw"> = db): Promise<void> {
  if (client === db) await flushRefusals(); // a refusal a moment ago counts (inside a transaction, the caller flushed)
  await client.$executeRaw`
    UPDATE "Hold" SET "contestedAt" = (
      SELECT MAX(r."lastAt") FROM "HoldItem" AS i JOIN "ItemRefusal" AS r ON r."shop" = i."shop" AND r."inventoryItemId" = i."inventoryItemId"
       WHERE i."holdId" = "Hold"."id" AND r."lastAt" >= "Hold"."createdAt")
     WHERE "id" = ${holdId} AND "state" = 'committed' AND "contestedAt" IS NULL`;
}
