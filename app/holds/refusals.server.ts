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

/** Records a refusal; never fails the shopper's request (the answer matters more than the figure). */
export async function recordRefusal(shop: string, owner: { type: string; id: string }, lines: RefusedLine[], now = new Date()): Promise<void> {
  try {
    const { type: ownerType, id: ownerId } = owner;
    const recent = await db.holdRefusal.findFirst({
      where: { shop, ownerType, ownerId, at: { gt: new Date(now.getTime() - SAME_REFUSAL_MS) } },
      select: { id: true },
    });
    if (recent) return;
    const rows = await db.stockLevel.findMany({
      where: { shop, OR: lines.map(({ inventoryItemId, locationId }) => ({ inventoryItemId, locationId })) },
      select: { inventoryItemId: true, locationId: true, shopifyAvailable: true, mirrored: true, held: true },
    });
    const stock = new Map(rows.map((r) => [`${r.inventoryItemId}@${r.locationId}`, { units: r.shopifyAvailable + r.mirrored, held: r.held }]));
    const { contestedItems, ...figures } = refusalFigures(lines, stock);
    await db.$transaction([
      db.holdRefusal.create({ data: { shop, ownerType, ownerId, ...figures, at: now } }),
      // One upsert per contested item (not an update of every live hold: this is the refusal's hot path).
      ...contestedItems.map((inventoryItemId) =>
        db.itemRefusal.upsert({
          where: { shop_inventoryItemId: { shop, inventoryItemId } },
          create: { shop, inventoryItemId, lastAt: now },
          update: { lastAt: now },
        }),
      ),
    ]);
  } catch (error) {
    console.error(`${shop}: a refused hold was not recorded for the results: ${(error as Error).message}`);
  }
}

/**
 * A hold just committed protected a sale if a shopper was refused one of its items (with units
 * holds had taken) after it was placed: its contestedAt is that moment. One statement, by the
 * hold's items; called by every path that commits a hold.
 */
export async function markSaleSaved(holdId: string, client: Pick<Tx, "$executeRaw"> = db): Promise<void> {
  await client.$executeRaw`
    UPDATE "Hold" SET "contestedAt" = (
      SELECT MAX(r."lastAt") FROM "HoldItem" AS i JOIN "ItemRefusal" AS r ON r."shop" = i."shop" AND r."inventoryItemId" = i."inventoryItemId"
       WHERE i."holdId" = "Hold"."id" AND r."lastAt" >= "Hold"."createdAt")
     WHERE "id" = ${holdId} AND "state" = 'committed' AND "contestedAt" IS NULL`;
}
