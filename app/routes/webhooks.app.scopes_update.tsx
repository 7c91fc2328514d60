import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { receiveWebhook } from "../webhooks/receive.server";
import { recordScopesUpdate } from "../shop/shops.server";

const payload = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "APP_SCOPES_UPDATE", ({ shop, payload: body }) => recordScopesUpdate(shop, payload.parse(body).current));
