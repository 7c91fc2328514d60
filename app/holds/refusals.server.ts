// A shopper refused a hold, recorded as it happens for the merchant's results (issue 14): how
// many units were asked and missing, how many of the missing ones Shopify still counted as
// available (other shoppers' holds had them: without holds both shoppers would have bought
// them), and, on those holds, the moment they first protected a sale someone else wanted.
import db from "../db.server";

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
      // Active holds on a contested item protected a sale: the first such moment is kept.
      ...contestedItems.map((item) =>
        db.hold.updateMany({
          where: { shop, state: { in: ["held", "extended"] }, contestedAt: null, lines: { contains: `"inventoryItemId":${JSON.stringify(item)}` } },
          data: { contestedAt: now },
        }),
      ),
    ]);
  } catch (error) {
    console.error(`${shop}: a refused hold was not recorded for the results: ${(error as Error).message}`);
  }
}
