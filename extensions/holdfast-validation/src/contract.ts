// What the app writes and the Function reads (decision 021). The Function cannot call the
// network or read the clock, so the app keeps both metafields true: it publishes the shop's
// hold state on the validation whenever holds change and at least every minute, and ties a
// hold to a cart in an `$app` cart metafield, which only the app can write.

/** On the cart (`$app:hold`): the hold placed for this cart's checkout. */
export interface CartHoldClaim {
  v: 1;
  /** The hold's id in Holdfast's ledger. */
  id: string;
  /** When the hold ends, in seconds since the epoch (compared with the state's `asOf`). */
  expiresAt: number;
  /** Units held, by variant gid. */
  lines: { variantId: string; quantity: number }[];
}

/** On the validation (`$app:state`): the shop's holds as the Function needs them. */
export interface HoldState {
  v: 1;
  /** When the app wrote this, in seconds since the epoch: the Function's only clock. */
  asOf: number;
  /** false: the shop holds nothing at checkout (strategy off): the Function lets everything through. */
  enforce: boolean;
  /**
   * Variants with units held by anyone: how many units a buyer with no hold of their own may
   * still take (Shopify's available, less what Holdfast holds for Shopify checkouts). A variant
   * not listed is not contested: Shopify's own stock check is all it needs.
   */
  free: Record<string, number>;
  /** Holds that ended before their expiry (released, committed elsewhere, cut): no longer cover anything. */
  ended: string[];
  /** Products the merchant exempts from holds (per-product override): never blocked by Holdfast. */
  exemptProducts: string[];
}

/** The Function's handle (its folder and its TOML): the app creates the shop's validation with it. */
export const VALIDATION_FUNCTION_HANDLE = "holdfast-validation";

export const HOLD_METAFIELD = { namespace: "$app", key: "hold" } as const;
export const STATE_METAFIELD = { namespace: "$app", key: "state" } as const;
