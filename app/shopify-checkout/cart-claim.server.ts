// The theme's hold, tied to the Online Store cart so the validation Function sees it: the app
// writes the cart's `$app:hold` metafield (the same claim the checkout extension writes) through
// the Storefront API with its own token. Shoppers cannot write `$app` metafields, so the claim
// cannot be forged (decision 021).
import { unauthenticated } from "../shopify.server";
import type { CartHoldClaim } from "../../extensions/holdfast-validation/src/contract";
import { HOLD_METAFIELD } from "../../extensions/holdfast-validation/src/contract";
import type { HoldStatus } from "../holds/holds.server";

export const CART_CLAIM_SET = `#graphql:storefront
  mutation HoldfastCartClaim($metafields: [CartMetafieldsSetInput!]!) {
    cartMetafieldsSet(metafields: $metafields) {
      userErrors { code field message }
    }
  }
`;

export const CART_CLAIM_DELETE = `#graphql:storefront
  mutation HoldfastCartClaimDelete($input: CartMetafieldDeleteInput!) {
    cartMetafieldDelete(input: $input) {
      userErrors { code field message }
    }
  }
`;

/** The claim for a live hold on these variant lines (tracked ones only), as the Function reads it. */
export function claimFor(hold: HoldStatus, lines: { variantId: string; quantity: number }[], untracked: string[]): CartHoldClaim {
  return {
    v: 1,
    id: hold.id,
    expiresAt: Math.floor(Date.parse(hold.expiresAt) / 1000),
    lines: lines.filter((l) => !untracked.includes(l.variantId)).map(({ variantId, quantity }) => ({ variantId, quantity })),
  };
}

/**
 * Writes (or, given null, removes) the cart's claim. Answers whether Shopify took it; a refusal
 * or an outage is not the shopper's problem (the hold stands, the answer says it is not tied).
 */
export async function tieClaimToCart(shop: string, cartToken: string, claim: CartHoldClaim | null): Promise<boolean> {
  try {
    return await writeClaim(shop, cartToken, claim);
  } catch (error) {
    console.warn(`${shop}: the cart's hold claim was not written: ${(error as Error).message}`);
    return false;
  }
}

async function writeClaim(shop: string, cartToken: string, claim: CartHoldClaim | null): Promise<boolean> {
  const { storefront } = await unauthenticated.storefront(shop);
  const ownerId = `gid://shopify/Cart/${cartToken}`;
  const response = claim
    ? await storefront.graphql(CART_CLAIM_SET, {
        variables: { metafields: [{ ownerId, key: HOLD_METAFIELD.key, type: "json", value: JSON.stringify(claim) }] },
      })
    : await storefront.graphql(CART_CLAIM_DELETE, { variables: { input: { ownerId, key: HOLD_METAFIELD.key } } });
  const { data } = (await response.json()) as {
    data?: { cartMetafieldsSet?: { userErrors: unknown[] }; cartMetafieldDelete?: { userErrors: unknown[] } };
  };
  const errors = (claim ? data?.cartMetafieldsSet : data?.cartMetafieldDelete)?.userErrors;
  return Array.isArray(errors) && errors.length === 0;
}
