import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveStripeWebhook } from "../payments/stripe-events.server";

// Stripe's webhook endpoint (the raw body is read as text for the signature check).
export const action = ({ request }: ActionFunctionArgs) => receiveStripeWebhook(request);
