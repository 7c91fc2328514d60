// The merchant's Stripe account, connected to the platform (Stripe Connect, decision 015):
// Holdfast creates the connected account once per shop and sends the merchant through Stripe's
// hosted onboarding (an Account Link); payments are made on that account with `Stripe-Account`.
// No merchant secret is ever stored.
import Stripe from "stripe";
import db from "../db.server";
import { stripeAccounts } from "./payments.server";

export interface PaymentsStatus {
  /**
   * not_connected: no account yet; onboarding: the merchant has not finished Stripe's forms;
   * ready: charges enabled; unreachable: Stripe no longer knows the stored account, or the
   * platform lost access to it (the merchant disconnected it): connecting again makes a new one.
   */
  state: "not_connected" | "onboarding" | "ready" | "unreachable";
  accountId: string | null;
  chargesEnabled: boolean;
  detailsSubmitted: boolean;
}

export async function paymentsStatus(shop: string): Promise<PaymentsStatus> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { stripeAccountId: true } });
  if (!row?.stripeAccountId) return { state: "not_connected", accountId: null, chargesEnabled: false, detailsSubmitted: false };
  let account: Stripe.Account;
  try {
    account = await stripeAccounts.retrieve(row.stripeAccountId!);
  } catch (error) {
    if (error instanceof Stripe.errors.StripePermissionError || (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing"))
      return { state: "unreachable", accountId: row.stripeAccountId, chargesEnabled: false, detailsSubmitted: false };
    throw error;
  }
  return {
    state: account.charges_enabled ? "ready" : "onboarding",
    accountId: account.id,
    chargesEnabled: Boolean(account.charges_enabled),
    detailsSubmitted: Boolean(account.details_submitted),
  };
}

/**
 * The link that takes the merchant through Stripe's onboarding (or back into it). The shop's
 * connected account is created the first time, once: the idempotency key is the shop's, and the
 * account id is stored only where none is stored yet, so two clicks make one account.
 */
export async function onboardingLink(shop: string, urls: { returnUrl: string; refreshUrl: string }): Promise<string> {
  let row = await db.shop.findUniqueOrThrow({ where: { domain: shop }, select: { stripeAccountId: true } });
  let replacing: string | undefined;
  // An account Stripe no longer lets us reach is forgotten: the merchant connects a new one.
  if (row.stripeAccountId && (await paymentsStatus(shop)).state === "unreachable") {
    replacing = row.stripeAccountId;
    await db.shop.updateMany({ where: { domain: shop, stripeAccountId: row.stripeAccountId }, data: { stripeAccountId: null } });
    row = await db.shop.findUniqueOrThrow({ where: { domain: shop }, select: { stripeAccountId: true } });
  }
  if (!row.stripeAccountId) {
    const account = await stripeAccounts.create(
      {
        // The merchant owns the account and its Stripe dashboard, and pays Stripe's fees; Stripe covers losses.
        controller: { fees: { payer: "account" }, losses: { payments: "stripe" }, stripe_dashboard: { type: "full" } },
        metadata: { holdfast_shop: shop },
      },
      // One account per shop and per account it replaces: two clicks still make one.
      `connect-account:${shop}:${replacing ?? "first"}`,
    );
    await db.shop.updateMany({ where: { domain: shop, stripeAccountId: null }, data: { stripeAccountId: account.id } });
    row = await db.shop.findUniqueOrThrow({ where: { domain: shop }, select: { stripeAccountId: true } });
  }
  return stripeAccounts.onboardingLink(row.stripeAccountId!, urls);
}
