// What each checkout step returns, stored under the step's name in the run's results. The
// names are the stored ones (runs in flight resume under them); this is the one place they are
// read back, typed: the steps, the checkout API and the reconciler all go through it.
import db from "../db.server";
import { step, type StepDefinition } from "../saga/runner.server";

export interface CheckoutInput {
  cartId: string;
  /** The total the shopper was shown, in minor units: the checkout refuses any other. */
  expectedTotal: number;
}

/** The cart as priced when the checkout started: what the order and the payment are made of. */
export interface Priced {
  currency: string;
  grandTotal: number;
  subtotal: number;
  discounts: number;
  shipping: number;
  tax: number;
  taxIncluded: boolean;
  taxLines: { title: string; basisPoints: number; amount: number }[];
  shippingTitle: string | null;
  lines: { variantId: string; quantity: number; unitPrice: number; title: string }[];
  email: string | null;
}

/** The PaymentIntent the payment step made, on the merchant's connected account. */
export interface PaymentMade {
  id: string;
  clientSecret: string | null;
  account: string;
}

export interface CheckoutResults {
  recalculate: Priced;
  /** The hard hold's id; null when nothing in the cart is tracked. */
  hold: string | null;
  "payment intent": PaymentMade;
  /** Stripe's word that the payment is authorised (the webhook or the confirm call). */
  authorization: { paymentIntent: string; status: string } | null;
  /** The Shopify order's gid. */
  "shopify order": string;
  /** The PaymentIntent's status after the capture. */
  capture: string;
  /** The Shopify order's gid, once the hold is committed and the cart converted. */
  complete: string;
}

/** The event a checkout waits for: Stripe says the payment is authorised. */
export const PAYMENT_AUTHORIZED = "payment_authorized";

/** The timeline outcome of a payment attempt that failed while the checkout waits. */
export const PAYMENT_FAILED = "payment_failed";

/** PaymentIntent metadata naming the saga run that created it (set by the payment step). */
export const RUN_METADATA = { run: "holdfast_run", shop: "holdfast_shop" } as const;

/** A checkout step: its name is a stored result name, its action returns that result. */
export const checkoutStep = <K extends keyof CheckoutResults & string>(name: K, definition: StepDefinition<CheckoutInput, CheckoutResults, K>) =>
  step<CheckoutInput, CheckoutResults, K>(name, definition);

/** The cart a checkout run is for, from its stored input. */
export async function cartOfRun(shop: string, runId: string): Promise<string | null> {
  const run = await db.sagaRun.findFirst({ where: { id: runId, shop }, select: { input: true } });
  return run ? (JSON.parse(run.input) as CheckoutInput).cartId : null;
}

/** A run's results (as stored, or as a view gives them), typed. */
export function checkoutResults(results: string | Record<string, unknown>): Partial<CheckoutResults> {
  return (typeof results === "string" ? JSON.parse(results) : results) as Partial<CheckoutResults>;
}
