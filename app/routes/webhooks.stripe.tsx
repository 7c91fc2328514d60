import type { ActionFunctionArgs } from "@remix-run/node";
import { checkoutPaymentEvent, shopOfPaymentEvent } from "../headless-checkout/payment-events.server";
import { receiveStripeWebhook } from "../payments/stripe-events.server";

// Stripe's webhook endpoint: the signature check and once-only handling, then what the event
// means for a checkout (the raw body is read as text for the signature check).
export const action = ({ request }: ActionFunctionArgs) => receiveStripeWebhook(request, checkoutPaymentEvent, shopOfPaymentEvent);
