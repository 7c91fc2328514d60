import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { apiError, zodMessage } from "../lib/api.server";
import { checkoutHoldStatus, checkoutTokenSchema, releaseCheckoutHold } from "../shopify-checkout/holds.server";
import { shopFromCheckoutToken } from "../shopify-checkout/session.server";

// For the checkout UI extension: the hold's status with the server's time (GET), or release it (DELETE).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  const token = checkoutTokenSchema.safeParse(params.checkoutToken);
  if (!token.success) return cors(apiError(400, "invalid_request", zodMessage(token.error.issues)));
  const hold = await checkoutHoldStatus(shopFromCheckoutToken(sessionToken), token.data);
  if (!hold) return cors(apiError(404, "not_found", "This checkout has no hold", { serverTime: new Date().toISOString() }));
  return cors(json({ hold }));
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  if (request.method !== "DELETE") return cors(apiError(405, "method_not_allowed", "Use DELETE to release the hold"));
  const token = checkoutTokenSchema.safeParse(params.checkoutToken);
  if (!token.success) return cors(apiError(400, "invalid_request", zodMessage(token.error.issues)));
  const hold = await releaseCheckoutHold(shopFromCheckoutToken(sessionToken), token.data);
  if (!hold) return cors(apiError(404, "not_found", "This checkout has no hold"));
  return cors(json({ hold }));
};
