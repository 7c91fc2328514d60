// Holds for Shopify's checkout, in the words of merchandise (variants), with the server's clock:
// the checkout UI extension's (keyed by the checkout token) and the theme cart's (keyed by the
// cart token, through the app proxy). Both follow the shop's strategy for checkout start.
import { z } from "zod";
import type { AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { activeHoldOf, release, transferHold, type HoldOwner, type HoldStatus } from "../holds/holds.server";
import { holdAtCheckoutStart, extendHoldOf, latestHoldOf, type CheckoutStartAnswer } from "../holds/checkout-start.server";
import { merchandiseLinesSchema } from "../holds/merchandise.server";
import db from "../db.server";
import { shopifyCheckoutHoldOwner as owner, shopifyTokenOf } from "../holds/owners";
import { publishHoldState } from "./hold-state.server";

export { latestHoldOf } from "../holds/checkout-start.server";

/** A token Shopify gives a checkout or a cart, named `name` in what the client sends. */
export const shopifyTokenSchema = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} is required`)
    .max(255, `${name} is too long`)
    .regex(/^[\w-]+$/, `${name} has unexpected characters`);

export const checkoutTokenSchema = shopifyTokenSchema("checkoutToken");
export const checkoutHoldRequestSchema = z.object({
  checkoutToken: checkoutTokenSchema,
  lines: merchandiseLinesSchema,
  /** The hold the checkout's cart claims (`$app:hold`), placed by the theme before the checkout existed. */
  cartHoldId: z
    .string()
    .regex(/^[\w-]{1,64}$/, "cartHoldId has unexpected characters")
    .optional(),
});

export type CheckoutHoldAnswer = CheckoutStartAnswer;

/**
 * Creates or refreshes the checkout's hold as the shop's strategy says for checkout start. A hold
 * the theme placed for this checkout's cart is carried over to the checkout first, so the same
 * units are never held twice for one shopper (the last unit would look short to its own holder).
 */
export async function holdCheckout(shop: string, admin: AdminGraphqlClient, request: z.infer<typeof checkoutHoldRequestSchema>): Promise<CheckoutHoldAnswer> {
  if (request.cartHoldId) await adoptCartHold(shop, request.cartHoldId, request.checkoutToken);
  return holdForShopifyCheckout(shop, admin, owner(request.checkoutToken), request.lines);
}

/**
 * The cart's live hold becomes the checkout's: one conditional update, only for a hold the theme
 * placed (a cart's, never another checkout's or a headless one), only while the checkout has
 * none. The hold id is known only to that cart (its `$app:hold`, readable in its checkout).
 */
async function adoptCartHold(shop: string, holdId: string, checkoutToken: string) {
  const holder = owner(checkoutToken);
  if (await activeHoldOf(shop, holder)) return;
  const hold = await db.hold.findFirst({ where: { id: holdId, shop, state: { in: ["held", "extended"] } }, select: { ownerType: true, ownerId: true } });
  const token = hold && shopifyTokenOf({ type: hold.ownerType, id: hold.ownerId });
  if (!token || !("cartToken" in token)) return;
  await transferHold(shop, holdId, { type: hold!.ownerType as "checkout", id: hold!.ownerId }, holder, "carried into the checkout");
}

/** Creates or refreshes `holder`'s hold on `lines` as the shop's strategy says for checkout start. */
export async function holdForShopifyCheckout(
  shop: string,
  admin: AdminGraphqlClient,
  holder: HoldOwner,
  lines: z.infer<typeof merchandiseLinesSchema>,
): Promise<CheckoutHoldAnswer> {
  // Left `available` in Shopify, so the holder can still buy them; the validation Function
  // keeps every other Shopify checkout off them (decision 021).
  const answer = await holdAtCheckoutStart(shop, admin, holder, lines, { shopifyReserve: false });
  if (answer.status === 422 || (answer.status === 200 && answer.body.strategy === "none")) return answer;
  // The shopper hears the answer only once the state the validation Function reads includes
  // every hold placed so far: a "held" shopper's units can no longer be taken by another Shopify
  // checkout, and a "short" one is refused by the Function too, not by luck (decision 022).
  // Answers given together share one write; if Shopify cannot take it now, the job writes it soon.
  await publishHoldState(shop, admin).catch((error) => console.warn(`hold state for ${shop} not published yet: ${(error as Error).message}`));
  return answer;
}

/** The checkout's active hold, or its latest one (so the extension can say it expired). */
export const checkoutHoldStatus = (shop: string, checkoutToken: string) => latestHoldOf(shop, owner(checkoutToken));

export async function releaseCheckoutHold(shop: string, checkoutToken: string): Promise<HoldStatus | null> {
  const active = await activeHoldOf(shop, owner(checkoutToken));
  if (!active) return checkoutHoldStatus(shop, checkoutToken);
  return release(shop, active.id, "released by the checkout");
}

/** More time for the shopper, once per hold, as far as the shop's policy allows. */
export const extendCheckoutHold = (shop: string, checkoutToken: string) => extendHoldOf(shop, owner(checkoutToken));
