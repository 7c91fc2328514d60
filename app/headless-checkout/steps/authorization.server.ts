// Step 4, authorization: the shopper confirms in the browser (Stripe's Payment Element); the run
// waits until Stripe says the payment is authorised (its webhook, or the confirm call asking).
import { WaitFor } from "../../saga/runner.server";
import { checkoutStep, PAYMENT_AUTHORIZED } from "../checkout-results.server";

export const authorizationStep = checkoutStep("authorization", {
  action: async () => new WaitFor(PAYMENT_AUTHORIZED),
});
