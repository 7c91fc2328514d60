// Who a hold belongs to. Two checkouts hold stock, and a newcomer must never confuse them:
// - Shopify's checkout (app/shopify-checkout/): the checkout UI extension's holds are keyed by
//   Shopify's checkout token; the theme app extension's (through the app proxy, every plan)
//   by the Online Store cart's token, before the checkout exists;
// - Holdfast's headless checkout (the saga, app/headless-checkout/): its hard hold is the run's.
// Both are stored with owner type "checkout" (rows written before the split stay readable);
// the headless and cart ones' ids carry prefixes no Shopify checkout token has. These helpers
// are the only code that knows it.
const HEADLESS_PREFIX = "hf-";
const CART_PREFIX = "cart-";

/** The owner of the holds Shopify's checkout places, by its checkout token. */
export const shopifyCheckoutHoldOwner = (checkoutToken: string) => ({ type: "checkout" as const, id: checkoutToken });

/** The owner of the hold the theme's cart page places (app proxy) for the checkout to come. */
export const shopifyCartHoldOwner = (cartToken: string) => ({ type: "checkout" as const, id: `${CART_PREFIX}${cartToken}` });

/** The owner of the hold Holdfast's checkout page places when the shopper opens it: the Cart API cart. */
export const cartApiHoldOwner = (cartId: string) => ({ type: "cart" as const, id: cartId });

/** The owner of a headless checkout's hard hold: its saga run. */
export const headlessCheckoutHoldOwner = (runId: string) => ({ type: "checkout" as const, id: `${HEADLESS_PREFIX}${runId}` });

/**
 * What Shopify calls the checkout a hold is for, so its order can be found by search
 * (`checkout_token:` or `cart_token:`): null for a headless checkout's hold or a Cart API cart's.
 */
export function shopifyTokenOf(owner: { type: string; id: string }): { checkoutToken: string } | { cartToken: string } | null {
  if (owner.type !== "checkout" || owner.id.startsWith(HEADLESS_PREFIX)) return null;
  if (owner.id.startsWith(CART_PREFIX)) return { cartToken: owner.id.slice(CART_PREFIX.length) };
  return { checkoutToken: owner.id };
}

/** Who a hold is for, in the merchant's words (the admin's list and a hold's page). */
export function describeOwner(owner: { type: string; id: string }): string {
  const short = (id: string) => (id.length > 12 ? `${id.slice(0, 12)}…` : id);
  if (owner.type === "cart") return `Cart API cart ${short(owner.id)}`;
  if (owner.id.startsWith(HEADLESS_PREFIX)) return `Headless checkout ${short(owner.id.slice(HEADLESS_PREFIX.length))}`;
  if (owner.id.startsWith(CART_PREFIX)) return `Online Store cart ${short(owner.id.slice(CART_PREFIX.length))}`;
  return `Shopify checkout ${short(owner.id)}`;
}
