// The headless checkout as a saga (decision 015). Each step is a unit in steps/, with its action
// and its compensation; when a later step fails for good, the completed ones are undone in
// reverse. Step names are the stored ones: runs in flight resume under them.
import { saga } from "../saga/runner.server";
import type { CheckoutInput, CheckoutResults } from "./checkout-results.server";
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
