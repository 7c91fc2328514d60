import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { apiError, readJsonBody, zodMessage } from "../lib/api.server";
import { upstreamFailure, upstreamFailureResponse } from "../server/upstream.server";
import { checkoutHoldRequestSchema, holdCheckout } from "../shopify-checkout/holds.server";
import { adminForShop, shopFromCheckoutToken } from "../shopify-checkout/session.server";

// For the checkout UI extension: create or refresh this checkout's hold.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  if (request.method !== "POST") return cors(apiError(405, "method_not_allowed", "Use POST to create or refresh a hold"));
  try {
    const parsed = checkoutHoldRequestSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) return cors(apiError(400, "invalid_request", zodMessage(parsed.error.issues)));
    const shop = shopFromCheckoutToken(sessionToken);
    const answer = await holdCheckout(shop, await adminForShop(shop), parsed.data);
    return cors(json(answer.body, { status: answer.status }));
  } catch (thrown) {
    if (thrown instanceof Response) return cors(thrown);
    const failure = upstreamFailure(thrown);
    if (failure) return cors(upstreamFailureResponse(failure));
    throw thrown;
  }
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.public.checkout(request);
  return cors(apiError(405, "method_not_allowed", "Use POST to create or refresh a hold, GET /api/checkout/holds/<checkoutToken> to read it"));
};
