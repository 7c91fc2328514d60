// The stock ledger's link to Shopify's numbers: what Shopify says is available at a location.
import db from "../db.server";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { ACTIVE_STATES, activeHoldsOf, takesFrom } from "./holds.server";
import { databaseMessage, isUniqueViolation } from "../db/errors.server";
import { shopifyTokenOf } from "./owners";

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
 *
 * A holder's own purchase in Shopify's checkout lowers `available` too, and its report may come
 * before the order's (decision 022): before any hold is cut, the holds for Shopify's checkout on
 * that line whose checkouts already became orders are committed (when `admin` is given).
 */
export async function recordShopifyAvailable(
  shop: string,
  level: ShopifyLevel,
  o: { asRead?: boolean; admin?: () => Promise<AdminGraphqlClient> } = {},
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
    // Holders' own orders first: as long as the search finds some, they are what lowered it.
    if (o.admin && (await commitOrdersInFlight(shop, await o.admin(), level.inventoryItemId, level.locationId)) > 0) continue;
    const victim = await newestHoldOn(shop, level.inventoryItemId, level.locationId);
    if (!victim) continue; // the holds ended meanwhile: try the write again
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
  return recordShopifyAvailable(
    shop,
    { inventoryItemId, locationId, available, updatedAt: new Date(data.node.updatedAt) },
    { asRead: true, admin: async () => admin },
  );
}

export const LEDGER_LEVELS_QUERY = `#graphql
  query HoldLedgerLevels($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryLevel {
        updatedAt
        item { id }
        location { id }
        quantities(names: ["available"]) { name quantity }
      }
    }
  }
`;

/** Several levels as Shopify has them now, dated no earlier than the moment before the read. */
export async function readShopifyLevels(admin: AdminGraphqlClient, lines: { inventoryItemId: string; locationId: string }[]): Promise<ShopifyLevel[]> {
  const readAt = Date.now();
  const { data } = await adminGraphql<{
    nodes: ({ updatedAt: string; item: { id: string }; location: { id: string }; quantities: { name: string; quantity: number }[] } | null)[];
  }>(admin, LEDGER_LEVELS_QUERY, { ids: lines.map((l) => inventoryLevelGid(l.inventoryItemId, l.locationId)) });
  return data.nodes.flatMap((n) =>
    n
      ? [
          {
            inventoryItemId: n.item.id,
            locationId: n.location.id,
            available: n.quantities.find((q) => q.name === "available")?.quantity ?? 0,
            // A change Shopify makes after the read carries a later time and is kept.
            updatedAt: new Date(Math.max(Date.parse(n.updatedAt), readAt)),
          },
        ]
      : [],
  );
}

/**
 * A hold for Shopify's checkout became an order: the hold is committed and Shopify's levels
 * for its lines, read after the order was made, are recorded in the same transaction. Shopify
 * has already taken the units from `available`, so the ledger never counts them twice (held
 * and sold) nor frees them early (committed, but `available` not yet lowered). A hold past its
 * expiry that the sweeper has not reached is expired instead: its units were free already.
 * Answers false when the levels do not fit (stock also sold elsewhere): the caller commits
 * alone and records them the usual way, cutting what must be cut.
 */
export async function commitWithShopifyLevels(shop: string, holdId: string, reason: string, levels: ShopifyLevel[], now = new Date()): Promise<boolean> {
  try {
    await db.$transaction(async (tx) => {
      const active = { id: holdId, shop, state: { in: ACTIVE_STATES } };
      await tx.hold.updateMany({
        where: { ...active, expiresAt: { gt: now } },
        data: { state: "committed", activeOwnerKey: null, endedAt: now, stateReason: reason },
      });
      await tx.hold.updateMany({ where: active, data: { state: "expired", activeOwnerKey: null, endedAt: now, stateReason: "expired" } });
      for (const level of levels)
        await tx.stockLevel.updateMany({
          where: {
            shop,
            inventoryItemId: level.inventoryItemId,
            locationId: level.locationId,
            OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lte: level.updatedAt } }],
          },
          data: { shopifyAvailable: level.available, shopifyUpdatedAt: level.updatedAt },
        });
    });
    return true;
  } catch (error) {
    if (isCheckViolation(error)) return false;
    throw error;
  }
}

export const ORDERS_BY_TOKEN_QUERY = `#graphql
  query HoldOrdersByToken($query: String!) {
    orders(first: 25, query: $query) {
      nodes { id checkoutToken cartToken }
    }
  }
`;

/**
 * Holds for Shopify's checkout on this line whose checkouts Shopify has already turned into
 * orders (their orders/create not yet here): committed now, as that webhook would. Answers how
 * many such orders it found, committed here or, meanwhile, by another report or the webhook.
 */
async function commitOrdersInFlight(shop: string, admin: AdminGraphqlClient, inventoryItemId: string, locationId: string): Promise<number> {
  const holds = (
    await db.hold.findMany({
      where: { shop, state: { in: ACTIVE_STATES }, shopifyReserve: false },
      select: { id: true, ownerType: true, ownerId: true, lines: true },
    })
  )
    .filter((h) => takesFrom(JSON.parse(h.lines), inventoryItemId, locationId))
    .map((h) => ({ id: h.id, token: shopifyTokenOf({ type: h.ownerType, id: h.ownerId }) }))
    .filter((h) => h.token !== null);
  let found = 0;
  const quote = (v: string) => `"${v.replace(/["\\]/g, "")}"`;
  for (let i = 0; i < holds.length; i += 25) {
    const batch = holds.slice(i, i + 25);
    const query = batch
      .map(({ token }) =>
        token && "checkoutToken" in token ? `checkout_token:${quote(token.checkoutToken)}` : `cart_token:${quote((token as { cartToken: string }).cartToken)}`,
      )
      .join(" OR ");
    const { data } = await adminGraphql<{ orders: { nodes: { id: string; checkoutToken: string | null; cartToken: string | null }[] } }>(
      admin,
      ORDERS_BY_TOKEN_QUERY,
      { query },
    );
    for (const h of batch) {
      const order = data.orders.nodes.find((o) =>
        h.token && "checkoutToken" in h.token ? o.checkoutToken === h.token.checkoutToken : o.cartToken === (h.token as { cartToken: string }).cartToken,
      );
      if (!order) continue;
      found++;
      await db.hold.updateMany({
        where: { id: h.id, state: { in: ACTIVE_STATES } },
        data: { state: "committed", activeOwnerKey: null, endedAt: new Date(), stateReason: `order ${order.id.split("/").pop()} placed` },
      });
    }
  }
  return found;
}

async function newestHoldOn(shop: string, inventoryItemId: string, locationId: string): Promise<string | undefined> {
  const holds = (await activeHoldsOf(shop)).filter((h) => takesFrom(h.lines, inventoryItemId, locationId));
  // Soft before hard, then the newest first.
  holds.sort((a, b) => (a.kind === b.kind ? b.createdAt.getTime() - a.createdAt.getTime() : a.kind === "soft" ? -1 : 1));
  return holds[0]?.id;
}
