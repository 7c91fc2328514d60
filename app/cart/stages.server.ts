// How far a cart got, recorded as it happens for the merchant's results (issue 14): a cart only
// moves forward (one conditional update: never a read then a write), and a checkout that was
// lost says why where the app knows it. An abandoned cart with no reason: the shopper left.
import db from "../db.server";

export const CART_STAGES = ["cart", "checkout", "hold", "payment", "order"] as const;
export type CartStage = (typeof CART_STAGES)[number];

export const LOST_REASONS = ["out_of_stock", "price_changed", "hold_expired", "payment_declined"] as const;
export type LostReason = (typeof LOST_REASONS)[number];

/** The cart reached `stage` (nothing changes if it was already further). */
export async function reachStage(shop: string, cartId: string, stage: CartStage): Promise<void> {
  const earlier = CART_STAGES.slice(0, CART_STAGES.indexOf(stage));
  await db.cart.updateMany({ where: { id: cartId, shop, stage: { in: [...earlier] } }, data: { stage } });
}

/** Why the cart's checkout did not become an order; a bought cart keeps none. */
export async function markLost(shop: string, cartId: string, reason: LostReason): Promise<void> {
  await db.cart.updateMany({ where: { id: cartId, shop, convertedAt: null }, data: { lostReason: reason } });
}
