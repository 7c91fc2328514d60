// An order placed through Shopify's checkout commits that checkout's hold: the held units are
// sold. The hold is found by the order's checkout token (the checkout extension's hold) or its
// cart token (the theme's hold, placed through the app proxy before the checkout existed).
// Such holds were never moved to Shopify's `reserved` (decision 021): Shopify took the units from
// `available` when it made the order, so the hold is committed together with Shopify's levels
// read now, and the ledger never counts the units twice nor frees them early (decision 022).
import { z } from "zod";
import db from "../db.server";
import { shopifyCartHoldOwner, shopifyCheckoutHoldOwner } from "../holds/owners";
import { activeHoldOf, commit, HoldError, status, type HoldStatus } from "../holds/holds.server";
import { commitWithShopifyLevels, readShopifyLevels, recordShopifyAvailable } from "../holds/ledger.server";
import type { AdminGraphqlClient } from "../shopify/admin-graphql.server";

export const orderCreatedPayload = z.object({
  id: z.union([z.number(), z.string()]),
  checkout_token: z.string().nullish(),
  cart_token: z.string().nullish(),
});

async function holdOfOrder(shop: string, order: z.infer<typeof orderCreatedPayload>): Promise<HoldStatus | null> {
  if (order.checkout_token) {
    const hold = await activeHoldOf(shop, shopifyCheckoutHoldOwner(order.checkout_token));
    if (hold) return hold;
  }
  return order.cart_token ? activeHoldOf(shop, shopifyCartHoldOwner(order.cart_token)) : null;
}

export async function commitHoldForOrder(shop: string, payload: unknown, adminFor: () => Promise<AdminGraphqlClient>): Promise<HoldStatus | null> {
  const order = orderCreatedPayload.parse(payload);
  // Not from a checkout (a draft, POS or API order), or no hold, or it already ended: Shopify's own numbers stand.
  const hold = await holdOfOrder(shop, order);
  if (!hold) return null;
  const reason = `order ${order.id} placed`;
  const orderId = `gid://shopify/Order/${order.id}`;
  const row = await db.hold.findUniqueOrThrow({ where: { id: hold.id }, select: { shopifyReserve: true } });
  if (!row.shopifyReserve) {
    const admin = await adminFor();
    const levels = await readShopifyLevels(admin, hold.lines);
    if (!(await commitWithShopifyLevels(shop, hold.id, { reason, orderId }, levels))) {
      // Other holders' orders, or stock sold elsewhere, are in the levels too: each level is
      // settled in one transaction with this hold's commit and theirs, cutting what no longer fits.
      for (const [i, level] of levels.entries())
        await recordShopifyAvailable(shop, level, { asRead: true, admin: async () => admin, commit: i === 0 ? [{ holdId: hold.id, reason, orderId }] : [] });
    }
    const after = await status(shop, hold.id);
    return after.state === "committed" ? after : null;
  }
  try {
    return await commit(shop, hold.id, reason, orderId);
  } catch (error) {
    // Expired between the lookup and the commit: the sweeper gives the units back as usual.
    if (error instanceof HoldError && error.code === "not_active") return null;
    throw error;
  }
}
