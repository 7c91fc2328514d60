// What a Stripe payment event means for a headless checkout: the PaymentIntent names the saga
// run that made it (its metadata). Authorised or succeeded: the run goes on. Failed: the run
// keeps waiting (the shopper may try another card) and its timeline says why. Cancelled: the
// run is given up and compensated.
import type Stripe from "stripe";
import { shopperMessage } from "../payments/stripe.server";
import { PAYMENT_AUTHORIZED, PAYMENT_FAILED, RUN_METADATA, sagaRunner } from "./checkout-runner.server";
import { cartOfRun } from "./checkout-results.server";
import { markLost } from "../cart/stages.server";

/** The shop a checkout's payment event concerns. */
export function shopOfPaymentEvent(event: Stripe.Event): string | null {
  return (event.data.object as { metadata?: Record<string, string> }).metadata?.[RUN_METADATA.shop] ?? null;
}

/** The checkout's reading of a Stripe event: which run it concerns, and what it does to it. */
export async function checkoutPaymentEvent(event: Stripe.Event): Promise<string> {
  if (!event.type.startsWith("payment_intent.")) return event.type === "charge.refunded" ? "refund recorded" : "ignored";
  const pi = event.data.object as Stripe.PaymentIntent;
  const runId = pi.metadata?.[RUN_METADATA.run];
  const shop = pi.metadata?.[RUN_METADATA.shop];
  if (!runId || !shop) return "not a Holdfast checkout";
  switch (event.type) {
    case "payment_intent.amount_capturable_updated":
    case "payment_intent.succeeded":
      return (await sagaRunner.signal(shop, runId, PAYMENT_AUTHORIZED, { paymentIntent: pi.id, status: pi.status }))
        ? "checkout resumed"
        : "checkout not waiting (already moved on)";
    case "payment_intent.payment_failed": {
      // The shopper may try another card on the same PaymentIntent: the run keeps waiting (and
      // its hold), and the checkout tells the shopper why this attempt failed.
      const told = shopperMessage(pi.last_payment_error);
      // If the shopper goes no further, this is why the checkout was lost (recorded before the
      // shopper can see the decline, so the two never disagree).
      const cartId = await cartOfRun(shop, runId);
      if (cartId) await markLost(shop, cartId, "payment_declined");
      await sagaRunner.note(shop, runId, PAYMENT_FAILED, `${told.code}: ${told.message}`);
      return `payment failed: ${told.code}`;
    }
    case "payment_intent.canceled":
      return (await sagaRunner.abandon(shop, runId, "payment cancelled", PAYMENT_AUTHORIZED)) ? "checkout given up" : "checkout not waiting";
    default:
      return "ignored";
  }
}
