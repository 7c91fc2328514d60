// Who a hold belongs to. Two checkouts hold stock, and a newcomer must never confuse them:
// - Shopify's checkout (the checkout UI extension and the theme app extension + app proxy
//   path, app/shopify-checkout/): its holds are keyed by Shopify's checkout token;
// - Holdfast's headless checkout (the saga, app/headless-checkout/): its hard hold is the run's.
// Both are stored with owner type "checkout" (rows written before the split stay readable);
// the headless one's id carries a prefix no Shopify checkout token has. These helpers are the
// only code that knows it.
const HEADLESS_PREFIX = "hf-";

/** The owner of the holds Shopify's checkout places, by its checkout token. */
export const shopifyCheckoutHoldOwner = (checkoutToken: string) => ({ type: "checkout" as const, id: checkoutToken });

/** The owner of a headless checkout's hard hold: its saga run. */
export const headlessCheckoutHoldOwner = (runId: string) => ({ type: "checkout" as const, id: `${HEADLESS_PREFIX}${runId}` });
