import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { commitHoldForOrder } from "../shopify-checkout/orders.server";
import { unauthenticated } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "ORDERS_CREATE", async ({ shop, payload }) => {
    await commitHoldForOrder(shop, payload, async () => (await unauthenticated.admin(shop)).admin);
  });
