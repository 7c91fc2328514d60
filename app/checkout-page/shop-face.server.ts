// What the shopper sees of the shop on the checkout page: its name, logo and colours, its refund
// policy and its country, from the Storefront API (`shop.brand`, `shop.refundPolicy`,
// `localization`). Kept five minutes per shop, so the page costs Shopify nothing per view.
import { unauthenticated } from "../shopify.server";
import { singleFlight } from "../lib/single-flight";
import { faceOf, type ShopFace, type ShopNode } from "./shop-face";

export type { ShopFace } from "./shop-face";

export const CHECKOUT_SHOP_QUERY = `#graphql:storefront
  query CheckoutShop {
    shop {
      name
      brand {
        logo { image { url altText width height } }
        colors { primary { background foreground } }
      }
      refundPolicy { title body url }
    }
    localization { country { isoCode } }
  }
`;

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { face: ShopFace; at: number }>();
const queries = singleFlight<ShopFace>();

export async function shopFace(shop: string, now = Date.now()): Promise<ShopFace> {
  const hit = cache.get(shop);
  if (hit && now - hit.at < TTL_MS) return hit.face;
  return queries(shop, async () => {
    const { storefront } = await unauthenticated.storefront(shop);
    const response = await storefront.graphql(CHECKOUT_SHOP_QUERY);
    const { data } = (await response.json()) as { data: ShopNode };
    const face = faceOf(data);
    cache.set(shop, { face, at: now });
    return face;
  });
}
