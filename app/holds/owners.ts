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

/** The owner of a headless checkout's hard hold: its saga run. */
export const headlessCheckoutHoldOwner = (runId: string) => ({ type: "checkout" as const, id: `${HEADLESS_PREFIX}${runId}` });
