// Step 6, capture: the pivot. Once captured, the saga only goes forward (this step and the next
// retry; they are not undone).
import { stripePayments } from "../../payments/payments.server";
import { checkoutStep } from "../checkout-results.server";

export const captureStep = checkoutStep("capture", {
  maxAttempts: 1_000,
  action: async ({ results, idempotencyKey }) => {
    const made = results["payment intent"]!;
    return (await stripePayments(made.account).capture(made.id, idempotencyKey)).status;
  },
});
