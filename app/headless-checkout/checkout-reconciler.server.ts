// The checkout's invariants, checked and repaired on the reconciler's schedule and on demand,
// each repair recorded as a finding for the admin:
// - a PaymentIntent made by a checkout that did not complete is never left captured without a
//   refund, nor authorised (holding the shopper's funds);
// - a checkout that did not complete leaves no live Shopify order (its compensation may have
//   looked before Shopify's search saw the order);
// - no checkout stays stuck: a run parked after its compensation kept failing is given another
//   round of compensation; a run due long ago that no instance is moving is moved now.
// (The holds' invariants — no hold past its expiry, held = the active holds, Shopify's reserved
// units = the ledger — are the holds reconciler's, app/holds/reconciler.server.ts.)
import { stripeConfig } from "../config.server";
import db from "../db.server";
import { stripePayments } from "../payments/payments.server";
import { unauthenticated } from "../shopify.server";
import { checkoutSaga, ordersMadeBy, SHOPIFY_ORDER_CANCEL } from "./checkout-saga.server";
import { adminGraphql } from "../shopify/admin-graphql.server";
import { sagaRunner } from "./checkout-runner.server";
import { checkoutResults } from "./checkout-results.server";

export interface PaymentFinding {
  runId: string;
  paymentIntent: string;
  found: string;
  repair: string;
}

const LOOK_BACK_MS = 7 * 24 * 3600_000;

export async function reconcileCheckoutPayments(shop: string, now = new Date()): Promise<PaymentFinding[]> {
  const runs = await db.sagaRun.findMany({
    where: { shop, saga: checkoutSaga.name, state: { in: ["compensated", "stuck"] }, updatedAt: { gte: new Date(now.getTime() - LOOK_BACK_MS) } },
    select: { id: true, results: true },
  });
  const findings: PaymentFinding[] = [];
  for (const run of runs) {
    const payment = checkoutResults(run.results)["payment intent"];
    if (!payment) continue;
    const payments = stripePayments(payment.account);
    const pi = await payments.retrieveIntent(payment.id);
    let finding: PaymentFinding | null = null;
    if (pi.status === "requires_capture") {
      await payments.cancel(pi.id, `${run.id}:reconcile:cancel`);
      finding = { runId: run.id, paymentIntent: pi.id, found: "authorised payment for a checkout that did not complete", repair: "authorisation cancelled" };
    } else if (pi.status === "succeeded") {
      const refunds = await payments.refunds(pi.id);
      const refunded = refunds.filter((r) => r.status === "succeeded" || r.status === "pending").reduce((s, r) => s + r.amount, 0);
      if (refunded < pi.amount_received) {
        await payments.refund(pi.id, `${run.id}:reconcile:refund`, pi.amount_received - refunded);
        finding = {
          runId: run.id,
          paymentIntent: pi.id,
          found: "captured payment without an order or a refund",
          repair: `refunded ${pi.amount_received - refunded}`,
        };
      }
    }
    if (finding) {
      findings.push(finding);
      await db.reconcileFinding.create({
        data: { shop, kind: "payment_without_order", subject: `checkout:${run.id}`, detail: JSON.stringify(finding), repaired: true },
      });
    }
  }
  return findings;
}

export interface CheckoutFinding {
  kind: "saga_stuck_retried" | "saga_overdue" | "order_without_payment";
  runId: string;
  repair: string;
}

/** Orders of checkouts that ended without completing, within a day of their end, are cancelled. */
export async function reconcileCheckoutOrders(shop: string, now = new Date()): Promise<CheckoutFinding[]> {
  const runs = await db.sagaRun.findMany({
    where: { shop, saga: checkoutSaga.name, state: "compensated", endedAt: { gte: new Date(now.getTime() - 24 * 3600_000) } },
    select: { id: true, failedStep: true, results: true },
  });
  const reachedOrder = runs.filter((r) => r.failedStep === "shopify order" || checkoutResults(r.results)["shopify order"] !== undefined);
  if (!reachedOrder.length) return [];
  const { admin } = await unauthenticated.admin(shop);
  const findings: CheckoutFinding[] = [];
  for (const run of reachedOrder) {
    for (const order of await ordersMadeBy(admin, `${run.id}:shopify order`)) {
      if (order.cancelledAt) continue;
      await adminGraphql(admin, SHOPIFY_ORDER_CANCEL, { id: order.id });
      findings.push({ kind: "order_without_payment", runId: run.id, repair: `order ${order.id} cancelled` });
    }
  }
  for (const f of findings)
    await db.reconcileFinding.create({ data: { shop, kind: f.kind, subject: `checkout:${f.runId}`, detail: JSON.stringify(f), repaired: true } });
  return findings;
}

/** How long a due run may wait for the workers (they look every 5 s) before it counts as forgotten. */
const OVERDUE_MS = 5 * 60_000;

export async function reconcileStuckCheckouts(shop: string, now = new Date()): Promise<CheckoutFinding[]> {
  const findings: CheckoutFinding[] = [];
  const stuck = await db.sagaRun.findMany({ where: { shop, saga: checkoutSaga.name, state: "stuck" }, select: { id: true, error: true } });
  for (const run of stuck) {
    // Another full round of compensation (Shopify or Stripe may be back); parked again if not.
    const after = await sagaRunner.retryStuck(run.id, now);
    if (after) findings.push({ kind: "saga_stuck_retried", runId: run.id, repair: `compensation retried: ${after}` });
  }
  const overdue = await db.sagaRun.findMany({
    where: {
      shop,
      saga: checkoutSaga.name,
      state: { in: ["running", "compensating"] },
      nextAttemptAt: { lt: new Date(now.getTime() - OVERDUE_MS) },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
    },
    select: { id: true },
  });
  for (const run of overdue) {
    await sagaRunner.advance(run.id);
    const after = await db.sagaRun.findUniqueOrThrow({ where: { id: run.id }, select: { state: true } });
    findings.push({ kind: "saga_overdue", runId: run.id, repair: `moved on: ${after.state}` });
  }
  for (const f of findings)
    await db.reconcileFinding.create({ data: { shop, kind: f.kind, subject: `checkout:${f.runId}`, detail: JSON.stringify(f), repaired: true } });
  return findings;
}

/** Every checkout invariant for one shop (payments only where the platform takes payments). */
export async function reconcileCheckouts(shop: string, now = new Date()) {
  const stuck = await reconcileStuckCheckouts(shop, now);
  const orders = await reconcileCheckoutOrders(shop, now);
  const payments = stripeConfig().STRIPE_SECRET_KEY ? await reconcileCheckoutPayments(shop, now) : [];
  return [...stuck, ...orders, ...payments];
}
