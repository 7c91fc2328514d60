// Step 5, shopify order: the order, with the authorisation as its transaction, made once under
// the step's @idempotent key (also its source identifier, so a lost answer can be found).
// Compensation: the order (found by that key if its id was never seen) is cancelled.
import { HttpResponseError, HttpRetriableError } from "@shopify/shopify-api";
import { unauthenticated } from "../../shopify.server";
import { adminGraphql, type AdminGraphqlClient } from "../../shopify/admin-graphql.server";
import { formatDecimal } from "../../totals/money";
import { PermanentStepFailure } from "../../saga/runner.server";
import { checkoutStep } from "../checkout-results.server";

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

export const shopifyOrderStep = checkoutStep("shopify order", {
  // A hung request is abandoned and the step tried again under the same @idempotent key.
  timeoutMs: 15_000,
  action: async ({ shop, results, idempotencyKey, signal }) => {
    const priced = results.recalculate!;
    const pi = results["payment intent"]!;
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
    if (!created) throw new PermanentStepFailure(`Shopify refused the order: ${data.orderCreate.userErrors.map((e) => e.message).join("; ")}`, "order_refused");
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
  compensation: async ({ shop, signal, idempotencyKey }, known) => {
    const { admin } = await unauthenticated.admin(shop);
    // No result: the step failed, perhaps after Shopify made the order (an answer lost every
    // time). The order, if any, is found by the key it carries as its source identifier.
    const orders = typeof known === "string" ? [known] : (await ordersMadeBy(admin, idempotencyKey, signal)).filter((o) => !o.cancelledAt).map((o) => o.id);
    for (const id of orders) await adminGraphql(admin, SHOPIFY_ORDER_CANCEL, { id }, undefined, signal);
  },
});
