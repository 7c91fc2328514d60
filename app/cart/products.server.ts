// Product facts for carts, from Shopify's Storefront API, cached briefly per shop and variant.
import { unauthenticated } from "../shopify.server";
import { parseDecimal, type Minor } from "../totals/money";

export const CART_VARIANT_FACTS_QUERY = `#graphql:storefront
  query CartVariantFacts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id
        title
        availableForSale
        requiresShipping
        weight
        weightUnit
        price { amount currencyCode }
        product { id title }
      }
    }
  }
`;

export interface VariantFacts {
  variantId: string;
  productId: string;
  title: string;
  unitPrice: Minor;
  currency: string;
  availableForSale: boolean;
  requiresShipping: boolean;
  weightGrams: number;
}

const GRAMS_PER: Record<string, number> = { GRAMS: 1, KILOGRAMS: 1000, OUNCES: 28.349523125, POUNDS: 453.59237 };
export const FACTS_TTL_MS = 30_000;
const cache = new Map<string, { facts: VariantFacts | null; at: number }>();

interface VariantNode {
  id: string;
  title: string;
  availableForSale: boolean;
  requiresShipping: boolean;
  weight: number | null;
  weightUnit: string;
  price: { amount: string; currencyCode: string };
  product: { id: string; title: string };
}

/** Facts for each variant id; null for a variant the shop does not sell. */
export async function variantFacts(shop: string, variantIds: string[], now = Date.now()): Promise<Map<string, VariantFacts | null>> {
  const result = new Map<string, VariantFacts | null>();
  const missing: string[] = [];
  for (const id of new Set(variantIds)) {
    const hit = cache.get(`${shop}|${id}`);
    if (hit && now - hit.at < FACTS_TTL_MS) result.set(id, hit.facts);
    else missing.push(id);
  }
  for (let i = 0; i < missing.length; i += 50) {
    const ids = missing.slice(i, i + 50);
    const { storefront } = await unauthenticated.storefront(shop);
    const response = await storefront.graphql(CART_VARIANT_FACTS_QUERY, { variables: { ids } });
    const { data } = (await response.json()) as { data: { nodes: (VariantNode | null)[] } };
    for (const id of ids) {
      const node = data.nodes.find((n) => n?.id === id) ?? null;
      const facts: VariantFacts | null = node && {
        variantId: node.id,
        productId: node.product.id,
        title: node.title === "Default Title" ? node.product.title : `${node.product.title} – ${node.title}`,
        unitPrice: parseDecimal(node.price.amount, node.price.currencyCode),
        currency: node.price.currencyCode,
        availableForSale: node.availableForSale,
        requiresShipping: node.requiresShipping,
        weightGrams: Math.round((node.weight ?? 0) * (GRAMS_PER[node.weightUnit] ?? 1)),
      };
      cache.set(`${shop}|${id}`, { facts, at: now });
      result.set(id, facts);
    }
  }
  return result;
}

/** Forgets cached facts (tests, and when a products/update webhook arrives later). */
export function forgetVariantFacts(shop?: string) {
  for (const key of cache.keys()) if (!shop || key.startsWith(`${shop}|`)) cache.delete(key);
}
