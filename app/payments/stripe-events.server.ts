// Stripe webhooks: the signature is checked on the raw body (400, no effect, when it fails),
// each event is handled once by its id, and payment events move the saga run that made the
// PaymentIntent (named in its metadata): authorised or succeeded → the run goes on; failed or
// cancelled → the run is given up and compensated. See docs/decisions/015-checkout-saga.md.
import { json } from "@remix-run/node";
import type Stripe from "stripe";
import db from "../db.server";
import { isUniqueViolation } from "../lib/db-errors.server";
import { PAYMENT_AUTHORIZED, PAYMENT_FAILED, RUN_METADATA, sagaRunner } from "../checkout/runner.server";
// Registers the checkout saga with the runner, so its runs can be moved from here.
import "../checkout/checkout-saga.server";
import { shopperMessage, verifyWebhook } from "./stripe.server";

export { PAYMENT_AUTHORIZED };

export async function receiveStripeWebhook(request: Request): Promise<Response> {
  const raw = await request.text();
  let event: Stripe.Event;
  try {
    event = verifyWebhook(raw, request.headers.get("Stripe-Signature"));
  } catch (error) {
    return new Response(`Webhook signature verification failed: ${(error as Error).message}`, { status: 400 });
  }
  const object = event.data.object as { object?: string; metadata?: Record<string, string>; payment_intent?: string };
  const shop = object.metadata?.[RUN_METADATA.shop] ?? null;
  try {
    await db.stripeEvent.create({ data: { id: event.id, type: event.type, account: event.account ?? null, shop } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const seen = await db.stripeEvent.findUnique({ where: { id: event.id } });
    // Handled before: say so, change nothing. (Not yet handled: a retry after our failure.)
    if (seen?.processedAt) return json({ received: true, duplicate: true });
  }
  const outcome = await handle(event);
  await db.stripeEvent.update({ where: { id: event.id }, data: { processedAt: new Date(), outcome } });
  return json({ received: true, outcome });
}

async function handle(event: Stripe.Event): Promise<string> {
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
      await sagaRunner.note(shop, runId, PAYMENT_FAILED, `${told.code}: ${told.message}`);
      return `payment failed: ${told.code}`;
    }
    case "payment_intent.canceled":
      return (await sagaRunner.abandon(shop, runId, "payment cancelled", PAYMENT_AUTHORIZED)) ? "checkout given up" : "checkout not waiting";
    default:
      return "ignored";
  }
}
