// The checkout part of the headless API: start (Idempotency-Key required), status, and the
// client's "I confirmed the payment" hint. Thin over the saga; see decision 015.
import { json } from "@remix-run/node";
import { z } from "zod";
import db from "../db.server";
import { CartError, requireCartAccess } from "../cart/carts.server";
import { requestCustomer } from "../cart/customers.server";
import { runIdempotent, idempotencyResponse } from "../idempotency/idempotency.server";
import { isUniqueViolation } from "../db/errors.server";
import { readJsonBody, zodMessage } from "../lib/api.server";
import { storefrontCall } from "../cart/api.server";
import { stripePayments } from "../payments/payments.server";
import { checkoutResults } from "./checkout-results.server";
import { PAYMENT_AUTHORIZED, PAYMENT_FAILED, sagaRunner } from "./checkout-runner.server";
import { checkoutSaga } from "./checkout-saga.server";

const startSchema = z
  .object({
    cartId: z.string().uuid("cartId must be the cart's id"),
    expectedTotal: z.number({ required_error: "expectedTotal is required: the grand total the shopper was shown, in minor units" }).int().min(0),
  })
  .strict();

/** What the storefront needs to know about a checkout. */
export async function checkoutView(shop: string, runId: string) {
  const run = await sagaRunner.view(shop, runId);
  const payment = checkoutResults(run.results)["payment intent"];
  const state =
    run.state === "completed"
      ? "completed"
      : run.state === "waiting"
        ? "awaiting_payment"
        : run.state === "compensated" || run.state === "stuck"
          ? "failed"
          : run.state === "compensating"
            ? "cancelling"
            : "processing";
  return {
    id: run.id,
    cartId: run.key,
    state,
    ...(state === "awaiting_payment" && payment?.clientSecret ? { clientSecret: payment.clientSecret } : {}),
    ...(state === "awaiting_payment" ? lastPaymentError(run.timeline) : {}),
    ...(state === "completed" ? { orderId: run.results.complete } : {}),
    ...(state === "failed" || state === "cancelling" ? { error: { step: run.failedStep, message: run.error } } : {}),
    timeline: run.timeline.map((t) => ({ step: t.step, phase: t.phase, outcome: t.outcome, at: t.endedAt ?? t.startedAt })),
  };
}

/** Why the shopper's last attempt to pay failed, when it is the latest thing that happened. */
function lastPaymentError(timeline: { step: string; outcome: string | null; error: string | null }[]) {
  const last = timeline.filter((t) => t.step === "authorization").at(-1);
  if (last?.outcome !== PAYMENT_FAILED || !last.error) return {};
  const [code, ...message] = last.error.split(": ");
  return { paymentError: { code, message: message.join(": ") } };
}

/** The Cart API's storefront-key authentication, CORS and refusals, around a checkout answer. */
const authenticated = (request: Request, answer: (shop: string, clientId: string) => Promise<Response>) =>
  storefrontCall(request, undefined, (client) => answer(client.shop, client.clientId));

const requireKey = (request: Request) => {
  const key = request.headers.get("Idempotency-Key");
  if (!key) throw new CartError(400, "idempotency_key_required", "Checkout writes need an Idempotency-Key header, so a retry never pays twice");
  return key;
};

/** POST /api/v1/checkouts: starts the cart's checkout (one per cart at a time) and runs it as far as it can go now. */
export const startCheckoutApi = (request: Request) =>
  authenticated(request, async (shop, clientId) => {
    const key = requireKey(request);
    const body = await readJsonBody(request);
    const parsed = startSchema.safeParse(body);
    if (!parsed.success) throw new CartError(400, "invalid_request", zodMessage(parsed.error.issues));
    await requireCartAccess(shop, parsed.data.cartId, await requestCustomer(request, shop));
    // The run is created with the key's answer in one transaction; it moves after the commit.
    const attempt = () =>
      runIdempotent({ shop, clientId, key }, { method: "POST", path: "/api/v1/checkouts", body }, async (tx) => {
        const run = await sagaRunner.createRun(checkoutSaga, shop, parsed.data.cartId, parsed.data, tx);
        return { status: 202, body: { checkoutId: run.id } };
      });
    // Another key started this cart's checkout at the same moment: ours rolled back; the next
    // attempt finds that run and answers it.
    const outcome = await attempt().catch((error) => {
      if (isUniqueViolation(error)) return attempt();
      throw error;
    });
    if (outcome.kind !== "executed" && outcome.kind !== "replayed") return idempotencyResponse(outcome);
    const { checkoutId } = outcome.answer.body as { checkoutId: string };
    await sagaRunner.advance(checkoutId);
    const view = await checkoutView(shop, checkoutId);
    return json(
      { checkout: view },
      { status: view.state === "failed" ? 409 : 202, headers: outcome.kind === "replayed" ? { "Idempotent-Replayed": "true" } : {} },
    );
  });

/** GET /api/v1/checkouts/:id */
export const checkoutStatusApi = (request: Request, checkoutId: string) =>
  authenticated(request, async (shop) => {
    if (!(await db.sagaRun.findFirst({ where: { id: checkoutId, shop, saga: checkoutSaga.name } })))
      throw new CartError(404, "checkout_not_found", `No checkout ${checkoutId} in this shop`);
    return json({ checkout: await checkoutView(shop, checkoutId) });
  });

/**
 * POST /api/v1/checkouts/:id/confirm: the storefront says the shopper confirmed the payment.
 * A hint only: Stripe is asked, and the checkout moves on if the payment is really authorised
 * (the webhook would move it too).
 */
export const confirmCheckoutApi = (request: Request, checkoutId: string) =>
  authenticated(request, async (shop) => {
    requireKey(request);
    if (!(await confirmPaymentHint(shop, checkoutId))) throw new CartError(404, "checkout_not_found", `No checkout ${checkoutId} in this shop`);
    return json({ checkout: await checkoutView(shop, checkoutId) });
  });

/**
 * The shopper's browser says the payment is confirmed (the API's confirm, the checkout page):
 * Stripe is asked, and a waiting checkout moves on if it is really authorised. False when the
 * shop has no such checkout.
 */
export async function confirmPaymentHint(shop: string, checkoutId: string): Promise<boolean> {
  const run = await db.sagaRun.findFirst({ where: { id: checkoutId, shop, saga: checkoutSaga.name } });
  if (!run) return false;
  const payment = checkoutResults(run.results)["payment intent"];
  if (payment && run.state === "waiting") {
    const pi = await stripePayments(payment.account).retrieveIntent(payment.id);
    if (pi.status === "requires_capture" || pi.status === "succeeded")
      await sagaRunner.signal(shop, checkoutId, PAYMENT_AUTHORIZED, { paymentIntent: pi.id, status: pi.status });
  }
  return true;
}
