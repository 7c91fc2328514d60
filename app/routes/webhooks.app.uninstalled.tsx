import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { recordUninstall } from "../shop/shops.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveWebhook(request, "APP_UNINSTALLED", ({ shop }) => recordUninstall(shop));
