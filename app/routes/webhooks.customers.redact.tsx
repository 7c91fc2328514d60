import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { eraseCustomer } from "../compliance/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "CUSTOMERS_REDACT", async ({ shop, payload }) => {
    await eraseCustomer(shop, payload);
  });
