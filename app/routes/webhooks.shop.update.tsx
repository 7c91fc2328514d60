import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { ensureValidation } from "../shopify-checkout/validation.server";
import { unauthenticated } from "../shopify.server";

// The shop changed (its plan, among other things): the stock check is made sure to exist and be
// on, with the merchant's failure mode. Idempotent; nothing is written when all is as it should be.
export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "SHOP_UPDATE", async ({ shop }) => {
    await ensureValidation(shop, (await unauthenticated.admin(shop)).admin);
  });
