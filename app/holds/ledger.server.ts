// The stock ledger's link to Shopify's numbers: what Shopify says is available at a location.
import db from "../db.server";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { ACTIVE_STATES, activeHoldsOf, takesFrom } from "./holds.server";
import { databaseMessage, isUniqueViolation } from "../db/errors.server";

export interface ShopifyLevel {
  inventoryItemId: string;
  locationId: string;
  available: number;
  updatedAt: Date;
}

function isCheckViolation(error: unknown): boolean {
  return /CHECK constraint failed|over-sold|check_violation|StockLevel_not_oversold/.test(databaseMessage(error));
}

/**
 * Records Shopify's available quantity, ignoring reports older than the last one. When
 * Shopify now has less than Holdfast holds (stock sold elsewhere), the newest holds on that
 * line are released, soft before hard, until the rest fit; each release is recorded.
 *
 * Two changes can carry the same time (Shopify's webhooks give it to the second), and
 * deliveries arrive in any order, so a report with the ledger's own time but another quantity
 * cannot be placed: it is answered `ambiguous`, and the caller reads the level from Shopify
 * (`settleFromShopify`). A fresh read (`asRead`) wins over a report of the same time.
 */
export async function recordShopifyAvailable(
  shop: string,
  level: ShopifyLevel,
  o: { asRead?: boolean } = {},
): Promise<{ released: string[]; ambiguous?: true }> {
  const key = { shop, inventoryItemId: level.inventoryItemId, locationId: level.locationId };
  const released: string[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const { count } = await db.stockLevel.updateMany({
        where: { ...key, OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: o.asRead ? { lte: level.updatedAt } : { lt: level.updatedAt } }] },
        data: { shopifyAvailable: level.available, shopifyUpdatedAt: level.updatedAt },
      });
      if (count === 0) {
        const exists = await db.stockLevel.findUnique({ where: { shop_inventoryItemId_locationId: key } });
        if (!exists) await db.stockLevel.create({ data: { ...key, shopifyAvailable: level.available, shopifyUpdatedAt: level.updatedAt } });
        else if (exists.shopifyUpdatedAt?.getTime() === level.updatedAt.getTime() && exists.shopifyAvailable !== level.available)
          return { released, ambiguous: true };
      }
      return { released };
    } catch (error) {
      if (isUniqueViolation(error)) continue; // created concurrently: update it
      if (!isCheckViolation(error)) throw error;
    }
    const victim = await newestHoldOn(shop, level.inventoryItemId, level.locationId);
    if (!victim) throw new Error(`StockLevel ${level.inventoryItemId}@${level.locationId} cannot fit ${level.available} with no active hold`);
    const { count } = await db.hold.updateMany({
      where: { id: victim, state: { in: ACTIVE_STATES } },
      data: { state: "released", activeOwnerKey: null, endedAt: new Date(), stateReason: "stock sold elsewhere" },
    });
    if (count) released.push(victim);
  }
  throw new Error(`could not record Shopify's available quantity for ${level.inventoryItemId}@${level.locationId}`);
}

/** Shopify's id of the inventory level of an item at a location. */
export const inventoryLevelGid = (inventoryItemId: string, locationId: string) =>
  `gid://shopify/InventoryLevel/${locationId.split("/").pop()}?inventory_item_id=${inventoryItemId.split("/").pop()}`;

export const LEDGER_LEVEL_QUERY = `#graphql
  query HoldLedgerLevel($id: ID!) {
    node(id: $id) {
      ... on InventoryLevel {
        updatedAt
        quantities(names: ["available"]) { name quantity }
      }
    }
  }
`;

/** Reads one level from Shopify and records it: what settles an ambiguous report. */
export async function settleFromShopify(shop: string, admin: AdminGraphqlClient, inventoryItemId: string, locationId: string) {
  const { data } = await adminGraphql<{ node: { updatedAt: string; quantities: { name: string; quantity: number }[] } | null }>(admin, LEDGER_LEVEL_QUERY, {
    id: inventoryLevelGid(inventoryItemId, locationId),
  });
  if (!data.node) return { released: [] as string[] };
  const available = data.node.quantities.find((q) => q.name === "available")?.quantity ?? 0;
  return recordShopifyAvailable(shop, { inventoryItemId, locationId, available, updatedAt: new Date(data.node.updatedAt) }, { asRead: true });
}

async function newestHoldOn(shop: string, inventoryItemId: string, locationId: string): Promise<string | undefined> {
  const holds = (await activeHoldsOf(shop)).filter((h) => takesFrom(h.lines, inventoryItemId, locationId));
  // Soft before hard, then the newest first.
  holds.sort((a, b) => (a.kind === b.kind ? b.createdAt.getTime() - a.createdAt.getTime() : a.kind === "soft" ? -1 : 1));
  return holds[0]?.id;
}
