import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { apiError, zodMessage } from "../lib/api.server";
import { checkoutTokenSchema, extendCheckoutHold } from "../shopify-checkout/holds.server";
import { shopFromCheckoutToken } from "../shopify-checkout/session.server";

// For the checkout UI extension: the shopper asks for more time, once, by the shop's hold time.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  if (request.method !== "POST") return cors(apiError(405, "method_not_allowed", "Use POST to extend the hold"));
  const token = checkoutTokenSchema.safeParse(params.checkoutToken);
  if (!token.success) return cors(apiError(400, "invalid_request", zodMessage(token.error.issues)));
  const answer = await extendCheckoutHold(shopFromCheckoutToken(sessionToken), token.data);
  return cors("hold" in answer ? json(answer) : apiError(answer.status, answer.code, answer.message));
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.public.checkout(request);
  return cors(apiError(405, "method_not_allowed", "Use POST to extend the hold"));
};
