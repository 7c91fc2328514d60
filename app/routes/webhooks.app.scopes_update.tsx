import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { receiveWebhook } from "../webhooks/receive.server";
import { recordScopesUpdate } from "../shop/shops.server";
import { ensureValidation } from "../shopify-checkout/validation.server";
import { unauthenticated } from "../shopify.server";

const payload = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "APP_SCOPES_UPDATE", async ({ shop, payload: body }) => {
    const { current } = payload.parse(body);
    await recordScopesUpdate(shop, current);
    // The merchant granted what the stock check needs (it may have been missing at install):
    // switch it on now rather than wait for Settings. A failure here is Settings' to show.
    if (current.includes("write_validations"))
      await ensureValidation(shop, (await unauthenticated.admin(shop)).admin).catch((error) =>
        console.error(`${shop}: the validation was not switched on after the scopes changed: ${(error as Error).message}`),
      );
  });
