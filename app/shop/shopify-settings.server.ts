// The shop's own settings that decide a cart's money: its currency and whether its prices
// include tax. Read from the Admin API and kept five minutes, so a change in Shopify reaches
// carts soon without a call per request.
import { unauthenticated } from "../shopify.server";
import { adminGraphql, requestRetryPolicy } from "../shopify/admin-graphql.server";
import { singleFlight } from "../lib/single-flight";

export const SHOP_PRICING_QUERY = `#graphql
  query ShopPricing {
    shop { currencyCode taxesIncluded }
  }
`;

export interface ShopPricing {
  currency: string;
  taxesIncluded: boolean;
}

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { pricing: ShopPricing; at: number }>();

const queries = singleFlight<ShopPricing>();

export async function shopPricing(shop: string, now = Date.now()): Promise<ShopPricing> {
  const hit = cache.get(shop);
  if (hit && now - hit.at < TTL_MS) return hit.pricing;
  return queries(shop, async () => {
    const { admin } = await unauthenticated.admin(shop);
    const { shop: s } = (
      await adminGraphql<{ shop: { currencyCode: string; taxesIncluded: boolean } }>(admin, SHOP_PRICING_QUERY, undefined, requestRetryPolicy)
    ).data;
    const pricing = { currency: s.currencyCode, taxesIncluded: s.taxesIncluded };
    cache.set(shop, { pricing, at: now });
    return pricing;
  });
}

export const shopCurrency = async (shop: string) => (await shopPricing(shop)).currency;
