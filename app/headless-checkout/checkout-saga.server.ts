// The headless checkout as a saga (decision 015). Each step is a unit in steps/, with its action
// and its compensation; when a later step fails for good, the completed ones are undone in
// reverse. Step names are the stored ones: runs in flight resume under them.
import db from "../db.server";
import { saga } from "../saga/runner.server";
import { checkoutResults, type CheckoutInput, type CheckoutResults } from "./checkout-results.server";
import { PAYMENT_AUTHORIZED, sagaRunner } from "./checkout-runner.server";
import { recalculateStep } from "./steps/recalculate.server";
import { holdStep } from "./steps/hold.server";
import { paymentIntentStep } from "./steps/payment-intent.server";
import { authorizationStep } from "./steps/authorization.server";
import { shopifyOrderStep } from "./steps/shopify-order.server";
import { captureStep } from "./steps/capture.server";
import { completeStep } from "./steps/complete.server";

export type { CheckoutInput } from "./checkout-results.server";
export { ordersMadeBy, rateOf, SHOPIFY_ORDER_BY_SOURCE, SHOPIFY_ORDER_CANCEL, SHOPIFY_ORDER_CREATE } from "./steps/shopify-order.server";

export const checkoutSaga = saga<CheckoutInput, CheckoutResults>("checkout", [
  recalculateStep, // price the cart again: the shopper pays what they were shown
  holdStep, // hard-hold every tracked line
  paymentIntentStep, // a PaymentIntent (manual capture) on the merchant's Stripe account
  authorizationStep, // wait for the shopper to authorise the payment
  shopifyOrderStep, // the Shopify order, with the authorisation
  captureStep, // the pivot: from here on, only forward
  completeStep, // commit the hold, convert the cart
]);

sagaRunner.register(checkoutSaga);

/** Starts the cart's checkout, or answers the one already running for it. */
export const startCheckout = (shop: string, input: CheckoutInput) => sagaRunner.start(checkoutSaga, shop, input.cartId, input);

/**
 * Checkouts left waiting for payment after their hold ended (expired, or released by the
 * merchant) are given up: the PaymentIntent is cancelled and nothing stays held. A payment
 * authorised after that finds its checkout gone and is cancelled by the compensation.
 */
export async function abandonExpiredCheckouts(now = new Date()): Promise<number> {
  const waiting = await db.sagaRun.findMany({
    where: { saga: checkoutSaga.name, state: "waiting" },
    select: { id: true, shop: true, results: true },
    take: 200,
  });
  let abandoned = 0;
  for (const run of waiting) {
    const holdId = checkoutResults(run.results).hold;
    if (typeof holdId !== "string") continue;
    const hold = await db.hold.findFirst({ where: { id: holdId, shop: run.shop }, select: { state: true, expiresAt: true } });
    const ended = !hold || !["held", "extended"].includes(hold.state) || hold.expiresAt <= now;
    if (ended && (await sagaRunner.abandon(run.shop, run.id, "the checkout's hold expired before the payment was authorised", PAYMENT_AUTHORIZED))) abandoned++;
  }
  return abandoned;
}
