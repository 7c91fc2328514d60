// The process's saga runner: sagas register here, and payment events reach their runs here.
import { processIdentity, runtimeConfig } from "../config.server";
import db from "../db.server";
import { SagaRunner, type StuckRun } from "../saga/runner.server";

declare global {
  var __holdfastSagaRunner: SagaRunner | undefined;
}

// One per process; kept on globalThis so dev-server rebuilds do not make a second.
// Its lease owner is the process's identity: with HOLDFAST_INSTANCE_ID, a restarted instance
// resumes the runs it was moving at once (decision 016).
// A stuck run becomes a reconciliation finding, which the admin shows.
export const sagaRunner: SagaRunner = globalThis.__holdfastSagaRunner ?? new SagaRunner({ owner: processIdentity().name, onStuck: recordStuckRun });
if (runtimeConfig().NODE_ENV === "development") globalThis.__holdfastSagaRunner = sagaRunner;

/** The event a checkout waits for: Stripe says the payment is authorised. */
export const PAYMENT_AUTHORIZED = "payment_authorized";

/** The timeline outcome of a payment attempt that failed while the checkout waits. */
export const PAYMENT_FAILED = "payment_failed";

/** PaymentIntent metadata naming the saga run that created it (set by the payment step). */
export const RUN_METADATA = { run: "holdfast_run", shop: "holdfast_shop" } as const;

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
