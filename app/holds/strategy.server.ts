// Which lines a shopper's cart holds at each moment, by the shop's strategy and its
// per-product overrides:
//   checkout_start  hard hold when checkout starts (the default)
//   final_check     no hold; stock is checked (and taken) only at payment
//   add_to_cart     soft hold on add to cart
//   hybrid          soft on add to cart, hard at checkout start
import { z } from "zod";
import db from "../db.server";
import { HOLD_STRATEGIES, type HoldStrategy } from "../shop/hold-policy";
import { readHoldPolicy } from "../shop/hold-policy.server";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import type { HoldKind } from "./holds.server";

export type HoldMoment = "add_to_cart" | "checkout_start" | "payment";

/** The kind of hold a line gets at a moment under a strategy, or null for none. */
export function holdKindAt(strategy: HoldStrategy, moment: HoldMoment): HoldKind | null {
  if (moment === "payment") return "hard"; // every strategy takes the stock when payment starts
  if (moment === "add_to_cart") return strategy === "add_to_cart" || strategy === "hybrid" ? "soft" : null;
  if (strategy === "final_check") return null;
  return strategy === "add_to_cart" ? "soft" : "hard";
}

export async function strategiesFor(shop: string, productIds: string[]): Promise<Map<string, HoldStrategy>> {
  const [{ holdStrategy }, overrides] = await Promise.all([
    readHoldPolicy(shop),
    db.holdStrategyOverride.findMany({ where: { shop, productId: { in: productIds } } }),
  ]);
  const byProduct = new Map(overrides.map((o) => [o.productId, o.strategy as HoldStrategy]));
  return new Map(productIds.map((id) => [id, byProduct.get(id) ?? holdStrategy]));
}

/**
 * Splits a cart's lines for a moment: the ones to hold and with which kind. A hold has one
 * kind, so when lines disagree the stronger kind wins (hard over soft).
 */
export async function planHold<L extends { productId: string }>(shop: string, moment: HoldMoment, lines: L[]): Promise<{ kind: HoldKind; lines: L[] } | null> {
  const strategies = await strategiesFor(shop, [...new Set(lines.map((l) => l.productId))]);
  const kinds = lines.map((l) => holdKindAt(strategies.get(l.productId)!, moment));
  const held = lines.filter((_, i) => kinds[i] !== null);
  if (!held.length) return null;
  return { kind: kinds.includes("hard") ? "hard" : "soft", lines: held };
}

export const productGid = z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/, "productId must be a Shopify Product gid such as gid://shopify/Product/123");
export const strategyOverrideSchema = z.object({
  productId: z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v.trim()) ? `gid://shopify/Product/${v.trim()}` : v), productGid),
  strategy: z.enum(HOLD_STRATEGIES, { errorMap: () => ({ message: `Strategy must be one of: ${HOLD_STRATEGIES.join(", ")}` }) }),
});

export async function listStrategyOverrides(shop: string) {
  return db.holdStrategyOverride.findMany({ where: { shop }, orderBy: { productId: "asc" } });
}

export async function setStrategyOverride(shop: string, productId: string, strategy: HoldStrategy) {
  await db.holdStrategyOverride.upsert({
    where: { shop_productId: { shop, productId } },
    create: { shop, productId, strategy },
    update: { strategy },
  });
}

export async function removeStrategyOverride(shop: string, productId: string) {
  await db.holdStrategyOverride.deleteMany({ where: { shop, productId } });
}

export const OVERRIDE_PRODUCTS_QUERY = `#graphql
  query HoldOverrideProducts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product { id title }
    }
  }
`;

/** The titles Shopify has for these products; a product Shopify does not know is absent. */
export async function productTitles(admin: AdminGraphqlClient, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { data } = await adminGraphql<{ nodes: ({ id: string; title: string } | null)[] }>(admin, OVERRIDE_PRODUCTS_QUERY, { ids });
  return new Map(data.nodes.filter((n): n is { id: string; title: string } => Boolean(n?.id)).map((n) => [n.id, n.title]));
}
