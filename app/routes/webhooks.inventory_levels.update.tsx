import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { receiveWebhook } from "../webhooks/receive.server";
import { recordShopifyAvailable, settleFromShopify } from "../holds/ledger.server";
import { unauthenticated } from "../shopify.server";
import { publishHoldState } from "../shopify-checkout/hold-state.server";

const payload = z.object({
  inventory_item_id: z.union([z.number(), z.string()]),
  location_id: z.union([z.number(), z.string()]),
  available: z.number().int().nullable(),
  updated_at: z.string().datetime({ offset: true }),
});

// Keeps the hold ledger true to Shopify's available quantity.
export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "INVENTORY_LEVELS_UPDATE", async ({ shop, payload: body }) => {
    const p = payload.parse(body);
    const inventoryItemId = `gid://shopify/InventoryItem/${p.inventory_item_id}`;
    const locationId = `gid://shopify/Location/${p.location_id}`;
    const admin = async () => (await unauthenticated.admin(shop)).admin;
    const recorded = await recordShopifyAvailable(
      shop,
      { inventoryItemId, locationId, available: p.available ?? 0, updatedAt: new Date(p.updated_at) },
      // A holder's own order may be why it fell: found before any hold is cut (decision 022).
      { admin },
    );
    // Another change carried the same time: Shopify says which one stands.
    if (recorded.ambiguous) await settleFromShopify(shop, await admin(), inventoryItemId, locationId);
    // A sale anywhere changes what is free for buyers with no hold: the Function learns it now.
    await publishHoldState(shop, await admin());
  });
