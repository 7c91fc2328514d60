import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkoutStatusApi } from "../headless-checkout/checkout-api.server";
import { otherMethods } from "../cart/api.server";

// GET: the checkout's state, the PaymentIntent's client_secret while it awaits payment, its timeline.
export const loader = ({ request, params }: LoaderFunctionArgs) => checkoutStatusApi(request, params.checkoutId!);

export const action = otherMethods("GET");
