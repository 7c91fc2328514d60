// The one way the app reaches Stripe's payments: an adapter per connected account (the
// merchant's, Stripe Connect), each call with the rate-limit backoff built in and every write
// under the caller's idempotency key. Checkout steps, the checkout API and the reconciler
// take a `Payments` and never build a Stripe call themselves; a test may hand them another.
import type Stripe from "stripe";
import { stripe, withStripeBackoff } from "./stripe.server";

export type PaymentIntent = Stripe.PaymentIntent;
export type Refund = Stripe.Refund;

export interface NewPaymentIntent {
  /** Integer minor units. */
  amount: number;
  /** ISO code, any case. */
  currency: string;
  metadata: Record<string, string>;
  receiptEmail?: string | null;
}

export interface Payments {
  /** The connected account every call is made on. */
  readonly account: string;
  /** Manual capture: authorised at confirmation, captured once the order exists. */
  createIntent(input: NewPaymentIntent, idempotencyKey: string): Promise<PaymentIntent>;
  retrieveIntent(id: string): Promise<PaymentIntent>;
  capture(id: string, idempotencyKey: string): Promise<PaymentIntent>;
  cancel(id: string, idempotencyKey: string): Promise<PaymentIntent>;
  /** Refunds `amount` (all that was received when omitted). */
  refund(paymentIntentId: string, idempotencyKey: string, amount?: number): Promise<Refund>;
  refunds(paymentIntentId: string): Promise<Refund[]>;
}

/** Payments on `account` through the platform's Stripe client. */
export function stripePayments(account: string): Payments {
  const on = { stripeAccount: account };
  return {
    account,
    createIntent: (input, idempotencyKey) =>
      withStripeBackoff(() =>
        stripe().paymentIntents.create(
          {
            amount: input.amount,
            currency: input.currency.toLowerCase(),
            capture_method: "manual",
            metadata: input.metadata,
            ...(input.receiptEmail ? { receipt_email: input.receiptEmail } : {}),
          },
          { ...on, idempotencyKey },
        ),
      ),
    retrieveIntent: (id) => withStripeBackoff(() => stripe().paymentIntents.retrieve(id, {}, on)),
    capture: (id, idempotencyKey) => withStripeBackoff(() => stripe().paymentIntents.capture(id, {}, { ...on, idempotencyKey })),
    cancel: (id, idempotencyKey) => withStripeBackoff(() => stripe().paymentIntents.cancel(id, {}, { ...on, idempotencyKey })),
    refund: (paymentIntentId, idempotencyKey, amount) =>
      withStripeBackoff(() =>
        stripe().refunds.create({ payment_intent: paymentIntentId, ...(amount !== undefined ? { amount } : {}) }, { ...on, idempotencyKey }),
      ),
    refunds: async (paymentIntentId) => (await withStripeBackoff(() => stripe().refunds.list({ payment_intent: paymentIntentId }, on))).data,
  };
}

/** Connected accounts: the merchant's own Stripe account, created and onboarded through the platform. */
export interface ConnectedAccounts {
  retrieve(id: string): Promise<Stripe.Account>;
  create(params: Stripe.AccountCreateParams, idempotencyKey: string): Promise<Stripe.Account>;
  onboardingLink(id: string, urls: { returnUrl: string; refreshUrl: string }): Promise<string>;
}

export const stripeAccounts: ConnectedAccounts = {
  retrieve: (id) => withStripeBackoff(() => stripe().accounts.retrieve(id)),
  create: (params, idempotencyKey) => withStripeBackoff(() => stripe().accounts.create(params, { idempotencyKey })),
  onboardingLink: async (id, urls) =>
    (
      await withStripeBackoff(() =>
        stripe().accountLinks.create({ account: id, type: "account_onboarding", return_url: urls.returnUrl, refresh_url: urls.refreshUrl }),
      )
    ).url,
};
