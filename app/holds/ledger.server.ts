// The stock ledger's link to Shopify's numbers: what Shopify says is available at a location.
import db, { currentDatabaseProvider } from "../db.server";
import { flushRefusals, markSaleSaved } from "./refusals.server";
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
 * Shopify now has less than Holdfast holds, the report is settled in one transaction
 * (`settleShortReport`): the holds whose checkouts Shopify already turned into orders are
 * committed, then, if the rest still does not fit (stock sold elsewhere), the newest holds on that
 * line are released, soft before hard; the level is written in the same transaction, so the
 * ledger never shows the holds gone and the level not yet lowered (decision 022).
 *
 * Two changes can carry the same time (Shopify's webhooks give it to the second), and
 * deliveries arrive in any order, so a report with the ledger's own time but another quantity
 * cannot be placed: it is answered `ambiguous`, and the caller reads the level from Shopify
 * (`settleFromShopify`). A fresh read (`asRead`) wins over a report of the same time.
 *
 * `commit` are holds known to be sold (an order's own hold), committed in the same transaction.
 */
export async function recordShopifyAvailable(
  shop: string,
  level: ShopifyLevel,
  o: { asRead?: boolean; admin?: () => Promise<AdminGraphqlClient>; commit?: Sold[] } = {},
): Promise<{ released: string[]; ambiguous?: true }> {
  const key = { shop, inventoryItemId: level.inventoryItemId, locationId: level.locationId };
  const newer = { OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: o.asRead ? { lte: level.updatedAt } : { lt: level.updatedAt } }] };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!o.commit?.length)
      try {
        const { count } = await db.stockLevel.updateMany({
          where: { ...key, ...newer },
          data: { shopifyAvailable: level.available, shopifyUpdatedAt: level.updatedAt },
        });
        if (count === 0) {
          const exists = await db.stockLevel.findUnique({ where: { shop_inventoryItemId_locationId: key } });
          if (!exists) await db.stockLevel.create({ data: { ...key, shopifyAvailable: level.available, shopifyUpdatedAt: level.updatedAt } });
          else if (exists.shopifyUpdatedAt?.getTime() === level.updatedAt.getTime() && exists.shopifyAvailable !== level.available)
            return { released: [], ambiguous: true };
        }
        return { released: [] };
      } catch (error) {
        if (isUniqueViolation(error)) continue; // created concurrently: update it
        if (!isCheckViolation(error)) throw error;
      }
    // Holders' own orders first, then the level read after that search: every order found is
    // counted in it (Shopify took the units when it made the order), so committing their holds
    // with it frees nothing twice. Orders made after the search show up as a shortfall: look
    // again before cutting anyone (Shopify is not called inside the transaction).
    const rounds = o.admin ? 3 : 1;
    for (let round = 0; round < rounds; round++) {
      let settled: Settled;
      try {
        if (!o.admin) settled = await settleShortReport(shop, level, newer, o.commit ?? [], true);
        else {
          const admin = await o.admin();
          const sold = [...(o.commit ?? []), ...(await ordersInFlight(shop, admin, level.inventoryItemId, level.locationId))];
          const [read] = await readShopifyLevels(admin, [level]);
          const fresh = read && read.updatedAt.getTime() >= level.updatedAt.getTime() ? read : level;
          const freshNewer = { OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lte: fresh.updatedAt } }] };
          settled = await settleShortReport(shop, fresh, fresh === level ? newer : freshNewer, sold, round === rounds - 1);
        }
      } catch (error) {
        if (!isCheckViolation(error) && !isSerializationFailure(error)) throw error; // the line changed meanwhile: settle again
        continue;
      }
      if (settled !== "short") return settled;
    }
  }
  throw new Error(`could not record Shopify's available quantity for ${level.inventoryItemId}@${level.locationId}`);
}

/** Rolls a settlement back: more orders may have been made since the search. */
class StillShort extends Error {}

function isSerializationFailure(error: unknown): boolean {
  return /40001|deadlock detected|40P01|could not serialize/.test(databaseMessage(error));
}

/** A hold known to be sold, whose sale the level being recorded counts. */
interface Sold {
  holdId: string;
  reason: string;
  /** The order's GID. */
  orderId: string;
}

type Settled = { released: string[] } | "short";

/**
 * One transaction: commit the sold holds, cut what still does not fit (when `cut`; otherwise
 * answer "short" and change nothing), write the level.
 */
async function settleShortReport(shop: string, level: ShopifyLevel, newer: object, sold: Sold[], cut: boolean): Promise<Settled> {
  if (sold.length) await flushRefusals(); // the commits below see the refusals of a moment ago
  const key = { shop, inventoryItemId: level.inventoryItemId, locationId: level.locationId };
  return db
    .$transaction(async (tx): Promise<Settled> => {
      // The stock row, locked: holds placed meanwhile wait for this settlement.
      if (currentDatabaseProvider() === "postgres")
        await tx.$queryRaw`SELECT 1 FROM "StockLevel" WHERE "shop" = ${shop} AND "inventoryItemId" = ${level.inventoryItemId} AND "locationId" = ${level.locationId} FOR UPDATE`;
      const now = new Date();
      const current = await tx.stockLevel.findUnique({ where: { shop_inventoryItemId_locationId: key } });
      if (!current) return { released: [] };
      const applies = (await tx.stockLevel.count({ where: { ...key, ...newer } })) === 1;
      for (const s of sold) {
        await tx.hold.updateMany({
          where: { id: s.holdId, shop, state: { in: ACTIVE_STATES } },
          data: { state: "committed", activeOwnerKey: null, endedAt: now, stateReason: s.reason, orderId: s.orderId },
        });
        await markSaleSaved(s.holdId, tx);
      }
      const released: string[] = [];
      if (!applies) return { released }; // a newer report is already there: it stands
      const row = (await tx.stockLevel.findUnique({ where: { shop_inventoryItemId_locationId: key } }))!;
      let deficit = row.held - (level.available + row.mirrored);
      if (deficit > 0 && !cut) throw new StillShort();
      if (deficit > 0) {
        // Stock really sold elsewhere: the newest holds on this line give way, soft before hard.
        const holds = (await activeHoldsOf(shop, undefined, tx)).filter((h) => takesFrom(h.lines, level.inventoryItemId, level.locationId));
        holds.sort((a, b) => (a.kind === b.kind ? b.createdAt.getTime() - a.createdAt.getTime() : a.kind === "soft" ? -1 : 1));
        for (const h of holds) {
          if (deficit <= 0) break;
          await tx.hold.updateMany({
            where: { id: h.id, state: { in: ACTIVE_STATES } },
            data: { state: "released", activeOwnerKey: null, endedAt: now, stateReason: "stock sold elsewhere" },
          });
          released.push(h.id);
          deficit -= h.lines
            .filter((l) => l.inventoryItemId === level.inventoryItemId && l.locationId === level.locationId)
            .reduce((n, l) => n + l.quantity, 0);
        }
      }
      await tx.stockLevel.updateMany({ where: { ...key, ...newer }, data: { shopifyAvailable: level.available, shopifyUpdatedAt: level.updatedAt } });
      return { released };
    })
    .catch((error) => {
      if (error instanceof StillShort) return "short" as const;
      throw error;
    });
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
export async function commitWithShopifyLevels(
  shop: string,
  holdId: string,
  sold: { reason: string; orderId: string },
  levels: ShopifyLevel[],
  now = new Date(),
): Promise<boolean> {
  await flushRefusals(); // the commit below sees the refusals of a moment ago
  try {
    await db.$transaction(async (tx) => {
      const active = { id: holdId, shop, state: { in: ACTIVE_STATES } };
      await tx.hold.updateMany({
        where: { ...active, expiresAt: { gt: now } },
        data: { state: "committed", activeOwnerKey: null, endedAt: now, stateReason: sold.reason, orderId: sold.orderId },
      });
      await markSaleSaved(holdId, tx);
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
 * orders (their orders/create not yet here), with the reason their webhook would give. Read only.
 */
async function ordersInFlight(shop: string, admin: AdminGraphqlClient, inventoryItemId: string, locationId: string) {
  const holds = (
    await db.hold.findMany({
      where: { shop, state: { in: ACTIVE_STATES }, shopifyReserve: false },
      select: { id: true, ownerType: true, ownerId: true, lines: true },
    })
  )
    .filter((h) => takesFrom(JSON.parse(h.lines), inventoryItemId, locationId))
    .map((h) => ({ id: h.id, token: shopifyTokenOf({ type: h.ownerType, id: h.ownerId }) }))
    .filter((h) => h.token !== null);
  const sold: Sold[] = [];
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
      if (order) sold.push({ holdId: h.id, reason: `order ${order.id.split("/").pop()} placed`, orderId: order.id });
    }
  }
  return sold;
}
