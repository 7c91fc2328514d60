// Stripe, server side: the official `stripe` package with its API version pinned, payments on
// the merchant's connected account (Stripe Connect, `Stripe-Account`), backoff on rate limits
// that stripe-node leaves alone, shopper-facing messages per decline, and webhook signature
// checks on the raw body. Keys come from the environment only. See docs/decisions/015-checkout-saga.md.
import Stripe from "stripe";
import { stripeConfig } from "../config.server";

/** The API version every call is made with (stripe-node 23's own). */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

let client: Stripe | undefined;

/**
 * The platform's Stripe client. `STRIPE_API_BASE` (demo and tests only) points it at the local
 * Stripe simulator, the way SHOPIFY_DEV_STORE_URL points Shopify calls at the dev store.
 */
export function stripe(): Stripe {
  if (client) return client;
  const { STRIPE_SECRET_KEY: key, STRIPE_API_BASE } = stripeConfig();
  if (!key) throw new Error("STRIPE_SECRET_KEY is not set: Holdfast cannot take payments");
  const base = STRIPE_API_BASE ? new URL(STRIPE_API_BASE) : null;
  client = new Stripe(key, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2, // connection errors, 409s and 5xx the API marks retryable; 429s are ours (below)
    timeout: 20_000,
    ...(base ? { host: base.hostname, port: Number(base.port), protocol: base.protocol.replace(":", "") as "http" | "https" } : {}),
    appInfo: { name: "Holdfast", url: "https://github.com/holdfast" },
  });
  return client;
}

export function forgetStripeClient() {
  client = undefined;
}

export interface BackoffPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}
export const defaultBackoff: BackoffPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
};

const shouldRetryHeader = (error: unknown) => {
  const headers = (error as { headers?: Record<string, string> })?.headers ?? {};
  return headers["stripe-should-retry"] ?? headers["Stripe-Should-Retry"];
};

/**
 * Calls Stripe, waiting out rate limits: a 429 (which stripe-node does not retry) is retried with
 * exponential backoff and full jitter, unless Stripe says `Stripe-Should-Retry: false`; so is an
 * error Stripe marks `Stripe-Should-Retry: true`. Every write carries an idempotency key, so a
 * retry is applied once.
 */
export async function withStripeBackoff<T>(call: () => Promise<T>, policy: BackoffPolicy = defaultBackoff): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const header = shouldRetryHeader(error);
      const status = (error as { statusCode?: number }).statusCode;
      const retryable = header === "true" || (status === 429 && header !== "false");
      if (!retryable || attempt >= policy.maxAttempts) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await policy.sleep(Math.round(policy.random() * ceiling));
    }
  }
}

export interface ShopperMessage {
  code: string;
  message: string;
  retryWithAnotherCard: boolean;
}

/** What the shopper is told when a card is declined or needs authentication. */
export function shopperMessage(error: { code?: string | null; decline_code?: string | null } | null | undefined): ShopperMessage {
  const decline = error?.decline_code ?? undefined;
  const code = error?.code ?? undefined;
  if (decline === "insufficient_funds")
    return { code: "insufficient_funds", message: "Your card has insufficient funds. Try another card.", retryWithAnotherCard: true };
  if (code === "expired_card" || decline === "expired_card")
    return { code: "expired_card", message: "Your card has expired. Check the expiry date or use another card.", retryWithAnotherCard: true };
  if (code === "incorrect_cvc" || decline === "incorrect_cvc")
    return { code: "incorrect_cvc", message: "The card's security code is incorrect. Check it and try again.", retryWithAnotherCard: true };
  if (code === "processing_error" || decline === "processing_error")
    return {
      code: "processing_error",
      message: "Your card could not be processed just now. Try again in a moment; you were not charged.",
      retryWithAnotherCard: false,
    };
  if (code === "payment_intent_authentication_failure" || code === "authentication_required" || decline === "authentication_required")
    return {
      code: "authentication_required",
      message: "Your bank needs you to confirm this payment. Complete the check from your bank, or use another card.",
      retryWithAnotherCard: true,
    };
  if (code === "card_declined" || decline)
    return { code: "card_declined", message: "Your card was declined. Use another card, or contact your bank.", retryWithAnotherCard: true };
  return {
    code: "payment_failed",
    message: "The payment did not go through. You were not charged; try again or use another card.",
    retryWithAnotherCard: true,
  };
}

/** Verifies a webhook's Stripe-Signature on the exact raw body (300 s tolerance) and returns its event. */
export function verifyWebhook(rawBody: string, signature: string | null): Stripe.Event {
  const secret = stripeConfig().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new Error("STRIPE_WEBHOOK_SECRET is not set");
  if (!signature) throw new Stripe.errors.StripeSignatureVerificationError("", rawBody, { message: "No Stripe-Signature header" });
  return stripe().webhooks.constructEvent(rawBody, signature, secret, 300);
}
