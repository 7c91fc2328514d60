import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { apiError, readJsonBody, zodMessage } from "../lib/api.server";
import { upstreamFailure, upstreamFailureResponse } from "../server/upstream.server";
import { merchandiseLinesSchema } from "../holds/merchandise.server";
import { shopifyCartHoldOwner } from "../holds/owners";
import { holdForShopifyCheckout, latestHoldOf } from "../shopify-checkout/holds.server";
import { cartTokenSchema, proxiedShop } from "../shopify-checkout/app-proxy.server";
import { claimFor, tieClaimToCart } from "../shopify-checkout/cart-claim.server";

// The theme app extension, through Shopify's app proxy (https://<shop>/apps/holdfast/holds):
// POST holds the cart's lines for the checkout to come; GET ?cartToken= reads the hold with
// the server's clock. A request Shopify did not sign is refused (401) and changes nothing.
const holdRequest = z.object({ cartToken: cartTokenSchema, lines: merchandiseLinesSchema }).strict();

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST to hold the cart's lines");
  const { shop, admin } = await proxiedShop(request);
  const parsed = holdRequest.safeParse(await readJsonBody(request));
  if (!parsed.success) return apiError(400, "invalid_request", zodMessage(parsed.error.issues));
  try {
    const answer = await holdForShopifyCheckout(shop, admin, shopifyCartHoldOwner(parsed.data.cartToken), parsed.data.lines);
    if (answer.status !== 200) return json(answer.body, { status: answer.status, headers: { "Cache-Control": "no-store" } });
    // The Function knows a cart's hold only from the cart's `$app:hold`: written for the live
    // hold, removed when there is none. (A refused change leaves the hold and its claim as they
    // were.) If Shopify does not take it, the hold stands and the answer says it is not tied.
    const claim = answer.body.hold ? claimFor(answer.body.hold, parsed.data.lines, answer.body.untracked) : null;
    const tied = await tieClaimToCart(shop, parsed.data.cartToken, claim);
    return json({ ...answer.body, tiedToCart: tied }, { headers: { "Cache-Control": "no-store" } });
  } catch (thrown) {
    const failure = upstreamFailure(thrown);
    if (failure) return upstreamFailureResponse(failure);
    throw thrown;
  }
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await proxiedShop(request);
  const token = cartTokenSchema.safeParse(new URL(request.url).searchParams.get("cartToken") ?? "");
  if (!token.success) return apiError(400, "invalid_request", zodMessage(token.error.issues));
  const hold = await latestHoldOf(shop, shopifyCartHoldOwner(token.data));
  if (!hold) return apiError(404, "not_found", "This cart has no hold", { serverTime: new Date().toISOString() });
  return json({ hold }, { headers: { "Cache-Control": "no-store" } });
};
