// From the checkout's merchandise (variant, quantity) to ledger lines (inventory item,
// location, quantity): the variant's product decides the strategy, its inventory item and
// levels come from the Admin API, and each line is held at the location with the most stock
// Holdfast can promise.
import { z } from "zod";
import db from "../db.server";
import { adminGraphql, requestRetryPolicy, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { recordShopifyAvailable } from "./ledger.server";
import { rememberVariantItems } from "./variant-items.server";
import { MAX_LINE_QUANTITY, MAX_LINES } from "./holds.server";
import { singleFlight } from "../lib/single-flight";

export const CHECKOUT_VARIANTS_QUERY = `#graphql
  query HoldCheckoutVariants($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id
        product { id }
        inventoryItem {
          id
          tracked
          inventoryLevels(first: 10) {
            nodes {
              updatedAt
              location { id isActive fulfillsOnlineOrders }
              quantities(names: ["available"]) { name quantity }
            }
          }
        }
      }
    }
  }
`;

export const merchandiseLinesSchema = z
  .array(
    z.object({
      variantId: z.string().regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "variantId must be a Shopify ProductVariant gid"),
      quantity: z
        .number()
        .int("quantity must be a whole number")
        .positive("quantity must be at least 1")
        .max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`),
    }),
  )
  .min(1, "at least one line is needed")
  .max(MAX_LINES, `at most ${MAX_LINES} lines`);
export type MerchandiseLine = z.infer<typeof merchandiseLinesSchema>[number];

export interface ResolvedLine {
  variantId: string;
  productId: string;
  inventoryItemId: string;
  locationId: string;
  quantity: number;
}

interface VariantNode {
  id: string;
  product: { id: string };
  inventoryItem: {
    id: string;
    tracked: boolean;
    inventoryLevels: {
      nodes: {
        updatedAt: string;
        location: { id: string; isActive: boolean; fulfillsOnlineOrders: boolean };
        quantities: { name: string; quantity: number }[];
      }[];
    };
  };
}

const CHUNK = 20; // keeps each query well under Shopify's single-query cost limit

/**
 * Shoppers asking for the same variants at the same moment (a drop) share one read of them:
 * two hundred checkouts of one variant are a few Admin API queries, not two hundred against the
 * shop's budget. The answer is as fresh as a read started during the request.
 */
const sharedVariantReads = singleFlight<(VariantNode | null)[]>();

/**
 * `ownHeld` are the lines the same owner already holds: they count as available to it, so a
 * refresh keeps the location it has rather than hopping to another.
 */
export async function resolveMerchandise(
  shop: string,
  admin: AdminGraphqlClient,
  lines: MerchandiseLine[],
  ownHeld: { inventoryItemId: string; locationId: string; quantity: number }[] = [],
) {
  const ids = [...new Set(lines.map((l) => l.variantId))];
  const variants = new Map<string, VariantNode>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const nodes = await sharedVariantReads(`${shop}|${chunk.join(",")}`, async () => {
      const { data } = await adminGraphql<{ nodes: (VariantNode | null)[] }>(admin, CHECKOUT_VARIANTS_QUERY, { ids: chunk }, requestRetryPolicy);
      return data.nodes;
    });
    for (const node of nodes) if (node?.inventoryItem) variants.set(node.id, node);
  }
  const unknown = ids.filter((id) => !variants.has(id));
  // The validation Function names stock by variant; the ledger by inventory item (decision 021).
  await rememberVariantItems(
    shop,
    [...variants.values()].map((v) => ({ variantId: v.id, inventoryItemId: v.inventoryItem.id, productId: v.product.id })),
  );
  // Keep the ledger as fresh as what Shopify just said (older reports are ignored by the ledger).
  for (const v of variants.values())
    for (const level of v.inventoryItem.inventoryLevels.nodes)
      await recordShopifyAvailable(
        shop,
        {
          inventoryItemId: v.inventoryItem.id,
          locationId: level.location.id,
          available: level.quantities.find((q) => q.name === "available")?.quantity ?? 0,
          updatedAt: new Date(level.updatedAt),
        },
        { admin: async () => admin },
      );
  const stock = await db.stockLevel.findMany({ where: { shop, inventoryItemId: { in: [...variants.values()].map((v) => v.inventoryItem.id) } } });
  const resolved: ResolvedLine[] = [];
  const untracked: MerchandiseLine[] = [];
  for (const line of lines) {
    const v = variants.get(line.variantId);
    if (!v) continue;
    if (!v.inventoryItem.tracked) {
      untracked.push(line);
      continue;
    }
    const candidates = v.inventoryItem.inventoryLevels.nodes.filter((l) => l.location.isActive && l.location.fulfillsOnlineOrders).map((l) => l.location.id);
    const promisable = (locationId: string) => {
      const s = stock.find((x) => x.inventoryItemId === v.inventoryItem.id && x.locationId === locationId);
      const own = ownHeld.find((o) => o.inventoryItemId === v.inventoryItem.id && o.locationId === locationId)?.quantity ?? 0;
      return s ? s.shopifyAvailable + s.mirrored - s.held + own : 0;
    };
    const best = candidates.sort((a, b) => promisable(b) - promisable(a))[0];
    if (!best) {
      unknown.push(line.variantId); // stocked nowhere that ships online
      continue;
    }
    resolved.push({ variantId: v.id, productId: v.product.id, inventoryItemId: v.inventoryItem.id, locationId: best, quantity: line.quantity });
  }
  return { resolved, untracked, unknown: [...new Set(unknown)] };
}
