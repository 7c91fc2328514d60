// The process's saga runner, with the checkout saga registered on it (explicitly, here: no
// module registers by being imported), and what is done to checkout runs through it.
import { processIdentity, runtimeConfig } from "../config.server";
import db from "../db.server";
import { SagaRunner, type StuckRun } from "../saga/runner.server";
import { cartOfRun, checkoutResults, PAYMENT_AUTHORIZED, type CheckoutInput } from "./checkout-results.server";
import { markLost } from "../cart/stages.server";
import { checkoutSaga } from "./checkout-saga.server";

export { PAYMENT_AUTHORIZED, PAYMENT_FAILED, RUN_METADATA } from "./checkout-results.server";

declare global {
  var __holdfastSagaRunner: SagaRunner | undefined;
}

// One per process; kept on globalThis so dev-server rebuilds do not make a second.
// Its lease owner is the process's identity: with HOLDFAST_INSTANCE_ID, a restarted instance
// resumes the runs it was moving at once (decision 016).
// A stuck run becomes a reconciliation finding, which the admin shows.
export const sagaRunner: SagaRunner = globalThis.__holdfastSagaRunner ?? new SagaRunner({ owner: processIdentity().name, onStuck: recordStuckRun });
if (runtimeConfig().NODE_ENV === "development") globalThis.__holdfastSagaRunner = sagaRunner;
// Registered again after a dev-server rebuild, so the runner moves runs with the new code.
sagaRunner.register(checkoutSaga);

/** The app's answer to a stuck run: a finding for the reconciler and the admin. */
export async function recordStuckRun(stuck: StuckRun): Promise<void> {
  await db.reconcileFinding.create({
    data: {
      shop: stuck.shop,
      kind: "saga_stuck",
      subject: `${stuck.saga}:${stuck.runId}`,
      detail: JSON.stringify({ step: stuck.step, error: stuck.error, attempts: stuck.attempts }),
      repaired: false,
    },
  });
}

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
    if (ended && (await sagaRunner.abandon(run.shop, run.id, "the checkout's hold expired before the payment was authorised", PAYMENT_AUTHORIZED))) {
      abandoned++;
      const cartId = await cartOfRun(run.shop, run.id);
      if (cartId) await markLost(run.shop, cartId, "hold_expired");
    }
  }
  return abandoned;
}
