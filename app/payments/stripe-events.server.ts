// Stripe webhooks: the signature is checked on the raw body (400, no effect, when it fails) and
// each event is handled once by its id. What an event means is the handler's business (the
// checkout's: app/headless-checkout/payment-events.server.ts); the route puts the two together.
// See docs/decisions/015-checkout-saga.md.
import { json } from "@remix-run/node";
import type Stripe from "stripe";
import db from "../db.server";
import { isUniqueViolation } from "../db/errors.server";
import { verifyWebhook } from "./stripe.server";

/** Handles one verified event, the first time it arrives; returns what it did, for the record. */
export type StripeEventHandler = (event: Stripe.Event) => Promise<string>;

/** The shop an event concerns, where the object names it (for the record). */
export type ShopOfEvent = (event: Stripe.Event) => string | null;

export async function receiveStripeWebhook(request: Request, handle: StripeEventHandler, shopOf: ShopOfEvent = () => null): Promise<Response> {
  const raw = await request.text();
  let event: Stripe.Event;
  try {
    event = verifyWebhook(raw, request.headers.get("Stripe-Signature"));
  } catch (error) {
    return new Response(`Webhook signature verification failed: ${(error as Error).message}`, { status: 400 });
  }
  const shop = shopOf(event);
  try {
    const objectId = (event.data.object as { id?: unknown }).id;
    await db.stripeEvent.create({
      data: { id: event.id, type: event.type, account: event.account ?? null, shop, objectId: typeof objectId === "string" ? objectId : null },
    });
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
