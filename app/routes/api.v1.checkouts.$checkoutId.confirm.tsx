import type { ActionFunctionArgs } from "@remix-run/node";
import { confirmCheckoutApi } from "../headless-checkout/checkout-api.server";
import { otherMethods } from "../cart/api.server";

// POST with an Idempotency-Key: the shopper confirmed the payment in the browser (a hint; Stripe decides).
export const action = ({ request, params }: ActionFunctionArgs) => confirmCheckoutApi(request, params.checkoutId!);

export const loader = otherMethods("POST");
