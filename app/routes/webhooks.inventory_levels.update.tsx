import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { receiveWebhook } from "../webhooks/receive.server";
import { recordShopifyAvailable } from "../holds/ledger.server";

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
    await recordShopifyAvailable(shop, {
      inventoryItemId: `gid://shopify/InventoryItem/${p.inventory_item_id}`,
      locationId: `gid://shopify/Location/${p.location_id}`,
      available: p.available ?? 0,
      updatedAt: new Date(p.updated_at),
    });
  });
