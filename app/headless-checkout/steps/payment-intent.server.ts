// Step 3, payment intent: a PaymentIntent for the priced total, manual capture, on the
// merchant's connected Stripe account. Compensation: cancelled (or refunded, if it was paid).
import db from "../../db.server";
import { extend } from "../../holds/holds.server";
import { stripePayments } from "../../payments/payments.server";
import { PermanentStepFailure } from "../../saga/runner.server";
import { checkoutStep, RUN_METADATA } from "../checkout-results.server";
import { reachStage } from "../../cart/stages.server";

async function connectedAccount(shop: string): Promise<string> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { stripeAccountId: true } });
  if (!row?.stripeAccountId) throw new PermanentStepFailure("This shop has not connected a Stripe account yet", "payments_not_set_up");
  return row.stripeAccountId;
}

/** How long the hold is extended by for the shopper to authorise the payment. */
const PAYMENT_WINDOW_MINUTES = 10;

export const paymentIntentStep = checkoutStep("payment intent", {
  action: async ({ shop, runId, input, results, idempotencyKey }) => {
    const priced = results.recalculate!;
    const payments = stripePayments(await connectedAccount(shop));
    const pi = await payments.createIntent(
      { amount: priced.grandTotal, currency: priced.currency, metadata: { [RUN_METADATA.run]: runId, [RUN_METADATA.shop]: shop }, receiptEmail: priced.email },
      idempotencyKey,
    );
    if (results.hold) await extend(shop, results.hold, PAYMENT_WINDOW_MINUTES).catch(() => undefined);
    await reachStage(shop, input.cartId, "payment");
    return { id: pi.id, clientSecret: pi.client_secret, account: payments.account };
  },
  compensation: async ({ idempotencyKey }, made) => {
    if (!made) return; // not created, or created under the key and never seen: it expires unconfirmed
    const payments = stripePayments(made.account);
    const pi = await payments.retrieveIntent(made.id);
    if (pi.status === "succeeded") await payments.refund(pi.id, `${idempotencyKey}:refund`);
    else if (pi.status !== "canceled") await payments.cancel(pi.id, `${idempotencyKey}:cancel`);
  },
});
