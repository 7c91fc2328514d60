// The process's saga runner: sagas register here, and payment events reach their runs here.
import { SagaRunner } from "./saga.server";

declare global {
  var __holdfastSagaRunner: SagaRunner | undefined;
}

// One per process; kept on globalThis so dev-server rebuilds do not make a second.
export const sagaRunner: SagaRunner = globalThis.__holdfastSagaRunner ?? new SagaRunner();
if (process.env.NODE_ENV === "development") globalThis.__holdfastSagaRunner = sagaRunner;

/** The event a checkout waits for: Stripe says the payment is authorised. */
export const PAYMENT_AUTHORIZED = "payment_authorized";

/** PaymentIntent metadata naming the saga run that created it (set by the payment step). */
export const RUN_METADATA = { run: "holdfast_run", shop: "holdfast_shop" } as const;
