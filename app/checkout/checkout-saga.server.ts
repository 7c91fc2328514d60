// The headless checkout as a saga (decision 015): recalculate → hard hold → PaymentIntent
// (manual capture, on the merchant's connected Stripe account) → wait for the shopper to
// authorise → Shopify order (with the authorisation) → capture → commit the hold and convert the
// cart. Each step's compensation undoes it, in reverse, when a later step fails for good.
import type Stripe from "stripe";
import { HttpResponseError, HttpRetriableError } from "@shopify/shopify-api";
import db from "../db.server";
import { unauthenticated } from "../shopify.server";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { cartTotals, prefetchFacts } from "../cart/carts.server";
import { formatDecimal } from "../totals/money";
import { resolveMerchandise } from "../holds/checkout-lines.server";
import { planHold } from "../holds/strategy.server";
import { readHoldPolicy } from "../shop/hold-policy.server";
import { activeHoldOf, commit, extend, HoldError, holdForOwner, release } from "../holds/holds.server";
import { stripe, withStripeBackoff } from "../payments/stripe.server";
import { PAYMENT_AUTHORIZED, RUN_METADATA, sagaRunner } from "./runner.server";
import { PermanentStepFailure, saga, step, WaitFor } from "./saga.server";

export interface CheckoutInput {
  cartId: string;
  expectedTotal: number;
}

interface Priced {
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

const owner = (runId: string) => ({ type: "checkout" as const, id: `hf-${runId}` });

export const SHOPIFY_ORDER_CREATE = `#graphql
  mutation CheckoutOrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput, $key: String!) {
    orderCreate(order: $order, options: $options) @idempotent(key: $key) {
      order { id name totalPriceSet { shopMoney { amount currencyCode } } }
      userErrors { field message code }
    }
  }
`;

/** The order a checkout's order step made, found by the key it was made with (its source identifier). */
export const SHOPIFY_ORDER_BY_SOURCE = `#graphql
  query CheckoutOrderBySource($query: String!) {
    orders(first: 5, query: $query) { nodes { id cancelledAt sourceIdentifier } }
  }
`;

export const SHOPIFY_ORDER_CANCEL = `#graphql
  mutation CheckoutOrderCancel($id: ID!) {
    orderCancel(orderId: $id, reason: DECLINED, refund: false, restock: true, notifyCustomer: false) {
      orderCancelUserErrors { code message }
    }
  }
`;

/** Orders made under a checkout order step's key (Shopify search: `source_identifier`). */
export async function ordersMadeBy(admin: AdminGraphqlClient, key: string, signal?: AbortSignal) {
  const { data } = await adminGraphql<{ orders: { nodes: { id: string; cancelledAt: string | null; sourceIdentifier: string | null }[] } }>(
    admin,
    SHOPIFY_ORDER_BY_SOURCE,
    { query: `source_identifier:"${key}"` },
    undefined,
    signal,
  );
  return data.orders.nodes.filter((o) => o.sourceIdentifier === key);
}

/** Basis points as the decimal rate Shopify's tax lines take: 825 → "0.0825". */
export function rateOf(basisPoints: number): string {
  const digits = String(basisPoints).padStart(5, "0");
  return `${digits.slice(0, -4)}.${digits.slice(-4)}`;
}

/**
 * Shopify answering 4xx (other than 429) will answer the same to a retry: the shop is frozen
 * (402), locked (423), or the app lost access (403). The checkout cannot place its order.
 */
function refusedForGood(error: unknown): never {
  if (error instanceof HttpResponseError && !(error instanceof HttpRetriableError)) {
    const { code, statusText } = error.response;
    if (code >= 400 && code < 500 && code !== 429) throw new PermanentStepFailure(`Shopify refused the order (HTTP ${code} ${statusText})`, "order_refused");
  }
  throw error;
}

async function connectedAccount(shop: string): Promise<string> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { stripeAccountId: true } });
  if (!row?.stripeAccountId) throw new PermanentStepFailure("This shop has not connected a Stripe account yet", "payments_not_set_up");
  return row.stripeAccountId;
}

export const checkoutSaga = saga<CheckoutInput>("checkout", [
  step("recalculate", {
    // Checkout always recalculates synchronously: the shopper pays what they were shown, or is told why not.
    action: async ({ shop, input }): Promise<Priced> => {
      const facts = await prefetchFacts(shop, input.cartId);
      const cart = await db.cart.findFirst({ where: { id: input.cartId, shop } });
      if (!cart || cart.convertedAt) throw new PermanentStepFailure("This cart no longer exists or was already bought", "cart_not_found");
      const lines = await db.cartLine.findMany({ where: { cartId: cart.id }, orderBy: { createdAt: "asc" } });
      if (!lines.length) throw new PermanentStepFailure("The cart is empty", "cart_empty");
      const gone = lines.filter((l) => !facts.variants.get(l.variantId)?.availableForSale);
      if (gone.length) throw new PermanentStepFailure(`No longer for sale: ${gone.map((l) => l.title).join(", ")}`, "not_available");
      const totals = await cartTotals(shop, cart.id, { facts });
      if (lines.some((l) => l.requiresShipping) && !totals.shippingRate)
        throw new PermanentStepFailure("Choose a shipping rate first", "shipping_rate_required");
      if (totals.grandTotal !== input.expectedTotal)
        throw new PermanentStepFailure(
          `The total changed from ${formatDecimal(input.expectedTotal, cart.currency)} to ${formatDecimal(totals.grandTotal, cart.currency)} ${cart.currency}` +
            (totals.priceChanges.length ? ` (${totals.priceChanges.map((p) => `${p.title}: ${p.was} → ${p.now}`).join("; ")})` : ""),
          "total_changed",
        );
      await db.cart.updateMany({ where: { id: cart.id, checkoutStartedAt: null }, data: { checkoutStartedAt: new Date() } });
      return {
        currency: cart.currency,
        grandTotal: totals.grandTotal,
        subtotal: totals.subtotal,
        discounts: totals.discounts,
        shipping: totals.shipping,
        tax: totals.tax,
        taxIncluded: totals.taxIncluded,
        taxLines: totals.taxLines,
        shippingTitle: totals.shippingRate?.title ?? null,
        email: cart.email,
        lines: lines.map((l) => ({
          variantId: l.variantId,
          quantity: l.quantity,
          unitPrice: facts.variants.get(l.variantId)?.unitPrice ?? l.unitPrice,
          title: l.title,
        })),
      };
    },
  }),

  step("hold", {
    action: async ({ shop, runId, results }) => {
      const priced = results.recalculate as Priced;
      const { admin } = await unauthenticated.admin(shop);
      const { resolved, unknown } = await resolveMerchandise(
        shop,
        admin,
        priced.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
      );
      if (unknown.length) throw new PermanentStepFailure(`Not stocked for online orders: ${unknown.join(", ")}`, "not_available");
      const plan = await planHold(shop, "payment", resolved);
      if (!plan) return null; // nothing tracked to hold
      const held = await holdForOwner(shop, {
        owner: owner(runId),
        kind: "hard",
        ttlMinutes: (await readHoldPolicy(shop)).holdTtlMinutes,
        lines: plan.lines.map(({ inventoryItemId, locationId, quantity }) => ({ inventoryItemId, locationId, quantity })),
      });
      if (!held.ok) throw new PermanentStepFailure("Some items sold out while you were checking out", "not_available");
      return held.hold.id;
    },
    compensation: async ({ shop, runId }) => {
      const active = await activeHoldOf(shop, owner(runId));
      if (active) await release(shop, active.id, "checkout did not complete");
    },
  }),

  step("payment intent", {
    action: async ({ shop, runId, results, idempotencyKey }) => {
      const priced = results.recalculate as Priced;
      const account = await connectedAccount(shop);
      const pi = await withStripeBackoff(() =>
        stripe().paymentIntents.create(
          {
            amount: priced.grandTotal,
            currency: priced.currency.toLowerCase(),
            capture_method: "manual",
            metadata: { [RUN_METADATA.run]: runId, [RUN_METADATA.shop]: shop },
            ...(priced.email ? { receipt_email: priced.email } : {}),
          },
          { idempotencyKey, stripeAccount: account },
        ),
      );
      // The payment window: the hold lives long enough for the shopper to authorise.
      if (results.hold) await extend(shop, String(results.hold), 10).catch(() => undefined);
      return { id: pi.id, clientSecret: pi.client_secret, account };
    },
    compensation: async ({ idempotencyKey, results }) => {
      const made = results["payment intent"] as { id: string; account: string } | undefined;
      if (!made) return; // not created, or created under the key and never seen: it expires unconfirmed
      const pi = await withStripeBackoff(() => stripe().paymentIntents.retrieve(made.id, {}, { stripeAccount: made.account }));
      if (pi.status === "succeeded") {
        await withStripeBackoff(() =>
          stripe().refunds.create({ payment_intent: pi.id }, { idempotencyKey: `${idempotencyKey}:refund`, stripeAccount: made.account }),
        );
      } else if (pi.status !== "canceled") {
        await withStripeBackoff(() => stripe().paymentIntents.cancel(pi.id, {}, { idempotencyKey: `${idempotencyKey}:cancel`, stripeAccount: made.account }));
      }
    },
  }),

  step("authorization", {
    // The shopper confirms in the browser (Payment Element); Stripe's webhook says when it is authorised.
    action: async () => new WaitFor(PAYMENT_AUTHORIZED),
  }),

  step("shopify order", {
    // A hung request is abandoned and the step tried again under the same @idempotent key.
    timeoutMs: 15_000,
    action: async ({ shop, results, idempotencyKey, signal }) => {
      const priced = results.recalculate as Priced;
      const pi = results["payment intent"] as { id: string };
      const money = (minor: number) => ({ shopMoney: { amount: formatDecimal(minor, priced.currency), currencyCode: priced.currency } });
      const { admin } = await unauthenticated.admin(shop);
      const { data } = await adminGraphql<{
        orderCreate: { order: { id: string; totalPriceSet: { shopMoney: { amount: string } } } | null; userErrors: { message: string; code: string }[] };
      }>(
        admin,
        SHOPIFY_ORDER_CREATE,
        {
          key: idempotencyKey,
          options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY", sendReceipt: false },
          order: {
            currency: priced.currency,
            email: priced.email,
            sourceIdentifier: idempotencyKey,
            sourceName: "holdfast",
            lineItems: priced.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity, priceSet: money(l.unitPrice) })),
            ...(priced.discounts ? { discountCode: { itemFixedDiscountCode: { code: "HOLDFAST", amountSet: money(priced.discounts) } } } : {}),
            ...(priced.shippingTitle ? { shippingLines: [{ title: priced.shippingTitle, priceSet: money(priced.shipping) }] } : {}),
            // The rate the cart was taxed at, and whether the prices already include it (as Shopify computes the total).
            taxesIncluded: priced.taxIncluded,
            ...(priced.taxLines.length
              ? { taxLines: priced.taxLines.map((t) => ({ title: t.title, rate: rateOf(t.basisPoints), priceSet: money(t.amount) })) }
              : {}),
            transactions: [{ kind: "AUTHORIZATION", status: "SUCCESS", gateway: "stripe", authorizationCode: pi.id, amountSet: money(priced.grandTotal) }],
          },
        },
        undefined,
        signal,
      ).catch(refusedForGood);
      const created = data.orderCreate.order;
      if (!created)
        throw new PermanentStepFailure(`Shopify refused the order: ${data.orderCreate.userErrors.map((e) => e.message).join("; ")}`, "order_refused");
      if (created.totalPriceSet.shopMoney.amount !== formatDecimal(priced.grandTotal, priced.currency)) {
        // Made, but not the order the shopper is paying for: undone here, as its id is not a result.
        await adminGraphql(admin, SHOPIFY_ORDER_CANCEL, { id: created.id }, undefined, signal);
        throw new PermanentStepFailure(
          `Shopify's total ${created.totalPriceSet.shopMoney.amount} differs from ${formatDecimal(priced.grandTotal, priced.currency)}`,
          "order_total_mismatch",
        );
      }
      return created.id;
    },
    compensation: async ({ shop, results, signal, idempotencyKey }) => {
      const { admin } = await unauthenticated.admin(shop);
      const known = results["shopify order"];
      // No result: the step failed, perhaps after Shopify made the order (an answer lost every
      // time). The order, if any, is found by the key it carries as its source identifier.
      const orders = typeof known === "string" ? [known] : (await ordersMadeBy(admin, idempotencyKey, signal)).filter((o) => !o.cancelledAt).map((o) => o.id);
      for (const id of orders) await adminGraphql(admin, SHOPIFY_ORDER_CANCEL, { id }, undefined, signal);
    },
  }),

  // The pivot: once captured, the saga only goes forward (these steps retry; they are not undone).
  step("capture", {
    maxAttempts: 1_000,
    action: async ({ results, idempotencyKey }) => {
      const pi = results["payment intent"] as { id: string; account: string };
      const captured: Stripe.PaymentIntent = await withStripeBackoff(() =>
        stripe().paymentIntents.capture(pi.id, {}, { idempotencyKey, stripeAccount: pi.account }),
      );
      return captured.status;
    },
  }),

  step("complete", {
    maxAttempts: 1_000,
    action: async ({ shop, input, results }) => {
      // A hold that expired meanwhile cannot be committed: the sweeper gave its units back and the
      // order has taken them in Shopify; the reconciler squares the ledger. The sale stands.
      if (results.hold)
        await commit(shop, String(results.hold), `order ${String(results["shopify order"])} placed`).catch((error) => {
          if (!(error instanceof HoldError)) throw error;
        });
      await db.cart.updateMany({ where: { id: input.cartId, shop, convertedAt: null }, data: { convertedAt: new Date() } });
      return String(results["shopify order"]);
    },
  }),
]);

sagaRunner.register(checkoutSaga);

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
    const holdId = (JSON.parse(run.results) as Record<string, unknown>).hold;
    if (typeof holdId !== "string") continue;
    const hold = await db.hold.findFirst({ where: { id: holdId, shop: run.shop }, select: { state: true, expiresAt: true } });
    const ended = !hold || !["held", "extended"].includes(hold.state) || hold.expiresAt <= now;
    if (ended && (await sagaRunner.abandon(run.shop, run.id, "the checkout's hold expired before the payment was authorised", PAYMENT_AUTHORIZED))) abandoned++;
  }
  return abandoned;
}
