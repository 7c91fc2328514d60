import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { eraseShop } from "../compliance/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, "SHOP_REDACT", ({ shop }) => eraseShop(shop));
