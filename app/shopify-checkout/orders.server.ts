// An order placed through Shopify's checkout commits that checkout's hold: the held units are
// sold, and the Shopify mirror hands its reserved units back (decision 008).
import { z } from "zod";
import { shopifyCheckoutHoldOwner } from "../holds/owners";
import { activeHoldOf, commit, HoldError, type HoldStatus } from "../holds/holds.server";

export const orderCreatedPayload = z.object({
  id: z.union([z.number(), z.string()]),
  checkout_token: z.string().nullish(),
});

export async function commitHoldForOrder(shop: string, payload: unknown): Promise<HoldStatus | null> {
  const order = orderCreatedPayload.parse(payload);
  if (!order.checkout_token) return null; // not from a checkout (a draft, POS or API order)
  const hold = await activeHoldOf(shop, shopifyCheckoutHoldOwner(order.checkout_token));
  if (!hold) return null; // no hold, or it already ended: Shopify's own numbers stand
  try {
    return await commit(shop, hold.id, `order ${order.id} placed`);
  } catch (error) {
    // Expired between the lookup and the commit: the sweeper gives the units back as usual.
    if (error instanceof HoldError && error.code === "not_active") return null;
    throw error;
  }
}
