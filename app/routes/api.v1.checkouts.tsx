import type { ActionFunctionArgs } from "@remix-run/node";
import { startCheckoutApi } from "../headless-checkout/checkout-api.server";
import { otherMethods } from "../cart/api.server";

// POST { cartId, expectedTotal } with an Idempotency-Key: start the cart's checkout.
export const action = ({ request }: ActionFunctionArgs) => startCheckoutApi(request);

export const loader = otherMethods("POST");
