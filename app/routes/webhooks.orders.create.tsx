import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { commitHoldForOrder } from "../shopify-checkout/orders.server";
import { unauthenticated } from "../shopify.server";
import { publishHoldState } from "../shopify-checkout/hold-state.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "ORDERS_CREATE", async ({ shop, payload }) => {
    const admin = async () => (await unauthenticated.admin(shop)).admin;
    if (await commitHoldForOrder(shop, payload, admin)) await publishHoldState(shop, await admin());
  });
