import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { recordDataRequest } from "../compliance/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "CUSTOMERS_DATA_REQUEST", ({ shop, payload }) => recordDataRequest(shop, payload));
