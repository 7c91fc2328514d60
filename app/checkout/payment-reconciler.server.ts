// The payment invariant, checked and repaired: a PaymentIntent made by a checkout that did not
// complete is never left captured without a refund, nor authorised (holding the shopper's funds).
// Runs on the reconciler's schedule and on demand; each repair is recorded as a finding.
import db from "../db.server";
import { stripe, withStripeBackoff } from "../payments/stripe.server";
import { checkoutSaga } from "./checkout-saga.server";

export interface PaymentFinding { runId: string; paymentIntent: string; found: string; repair: string }

const LOOK_BACK_MS = 7 * 24 * 3600_000;

export async function reconcileCheckoutPayments(shop: string, now = new Date()): Promise<PaymentFinding[]> {
  const runs = await db.sagaRun.findMany({
    where: { shop, saga: checkoutSaga.name, state: { in: ["compensated", "stuck"] }, updatedAt: { gte: new Date(now.getTime() - LOOK_BACK_MS) } },
    select: { id: true, results: true },
  });
  const findings: PaymentFinding[] = [];
  for (const run of runs) {
    const payment = (JSON.parse(run.results) as Record<string, unknown>)["payment intent"] as { id: string; account: string } | undefined;
    if (!payment) continue;
    const options = { stripeAccount: payment.account };
    const pi = await withStripeBackoff(() => stripe().paymentIntents.retrieve(payment.id, {}, options));
    let finding: PaymentFinding | null = null;
    if (pi.status === "requires_capture") {
      await withStripeBackoff(() => stripe().paymentIntents.cancel(pi.id, {}, { ...options, idempotencyKey: `${run.id}:reconcile:cancel` }));
      finding = { runId: run.id, paymentIntent: pi.id, found: "authorised payment for a checkout that did not complete", repair: "authorisation cancelled" };
    } else if (pi.status === "succeeded") {
      const refunds = await withStripeBackoff(() => stripe().refunds.list({ payment_intent: pi.id }, options));
      const refunded = refunds.data.filter((r) => r.status === "succeeded" || r.status === "pending").reduce((s, r) => s + r.amount, 0);
      if (refunded < pi.amount_received) {
        await withStripeBackoff(() => stripe().refunds.create({ payment_intent: pi.id, amount: pi.amount_received - refunded }, { ...options, idempotencyKey: `${run.id}:reconcile:refund` }));
        finding = { runId: run.id, paymentIntent: pi.id, found: "captured payment without an order or a refund", repair: `refunded ${pi.amount_received - refunded}` };
      }
    }
    if (finding) {
      findings.push(finding);
      await db.reconcileFinding.create({ data: { shop, kind: "payment_without_order", subject: `checkout:${run.id}`, detail: JSON.stringify(finding), repaired: true } });
    }
  }
  return findings;
}
