// Shopify's mandatory compliance topics: what Holdfast keeps about a customer or a shop,
// and how it is reported or erased.
import { z } from "zod";
import db from "../db.server";

const customer = z.object({ id: z.union([z.number(), z.string()]).nullish(), email: z.string().nullish(), phone: z.string().nullish() });

export const dataRequestPayload = z.object({
  customer,
  orders_requested: z.array(z.union([z.number(), z.string()])).default([]),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }),
});
export const customerRedactPayload = z.object({ customer, orders_to_redact: z.array(z.union([z.number(), z.string()])).default([]) });

/** Every model holding a shop's data, erased on shop/redact. A test checks this list is complete. */
export const SHOP_SCOPED_MODELS = [
  "session",
  "customerDataRequest",
  "webhookEvent",
  "shop",
  "stockLevel",
  "variantItem",
  "hold",
  "holdItem",
  "holdEvent",
  "holdRefusal",
  "itemRefusal",
  "holdStrategyOverride",
  "shopifyInventoryMove",
  "reconcileFinding",
  "idempotencyKey",
  "storefrontKey",
  "cart",
  "cartLine",
  "cartTotals",
  "shippingRate",
  "taxRule",
  "sagaRun",
  "sagaStepAttempt",
  "stripeEvent",
] as const;

export async function recordDataRequest(shop: string, payload: unknown) {
  const p = dataRequestPayload.parse(payload);
  const dataRequestId = String(p.data_request.id);
  await db.customerDataRequest.upsert({
    where: { shop_dataRequestId: { shop, dataRequestId } },
    create: {
      shop,
      dataRequestId,
      customerId: p.customer.id == null ? null : String(p.customer.id),
      email: p.customer.email ?? null,
      phone: p.customer.phone ?? null,
      ordersRequested: JSON.stringify(p.orders_requested.map(String)),
    },
    update: {},
  });
}

/** Erases what Holdfast holds about one customer of one shop. */
export async function eraseCustomer(shop: string, payload: unknown) {
  const { customer: c } = customerRedactPayload.parse(payload);
  const matches = [...(c.id != null ? [{ customerId: String(c.id) }] : []), ...(c.email ? [{ email: c.email }] : []), ...(c.phone ? [{ phone: c.phone }] : [])];
  if (!matches.length) return { erased: 0 };
  // Carts know a signed-in customer by their Storefront gid; the webhook names the numeric id.
  const cartMatches = [...matches, ...(c.id != null ? [{ customerId: `gid://shopify/Customer/${c.id}` }] : [])];
  const carts = await db.cart.findMany({ where: { shop, OR: cartMatches }, select: { id: true } });
  const [requests, , erasedCarts] = await db.$transaction([
    db.customerDataRequest.deleteMany({ where: { shop, OR: matches } }),
    db.cartLine.deleteMany({ where: { shop, cartId: { in: carts.map((c) => c.id) } } }),
    db.cartTotals.deleteMany({ where: { shop, cartId: { in: carts.map((c) => c.id) } } }),
    db.cart.deleteMany({ where: { shop, id: { in: carts.map((c) => c.id) } } }),
  ]);
  return { erased: requests.count + erasedCarts.count };
}

/** Erases everything Holdfast holds for a shop, keeping only the record of this erasure. */
export async function eraseShop(shop: string) {
  await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.customerDataRequest.deleteMany({ where: { shop } }),
    db.shopifyInventoryMove.deleteMany({ where: { shop } }),
    db.holdEvent.deleteMany({ where: { shop } }),
    db.holdItem.deleteMany({ where: { shop } }),
    db.hold.deleteMany({ where: { shop } }),
    db.holdRefusal.deleteMany({ where: { shop } }),
    db.itemRefusal.deleteMany({ where: { shop } }),
    db.holdStrategyOverride.deleteMany({ where: { shop } }),
    db.stockLevel.deleteMany({ where: { shop } }),
    db.variantItem.deleteMany({ where: { shop } }),
    db.reconcileFinding.deleteMany({ where: { shop } }),
    db.idempotencyKey.deleteMany({ where: { shop } }),
    db.storefrontKey.deleteMany({ where: { shop } }),
    db.cartLine.deleteMany({ where: { shop } }),
    db.cartTotals.deleteMany({ where: { shop } }),
    db.sagaStepAttempt.deleteMany({ where: { shop } }),
    db.sagaRun.deleteMany({ where: { shop } }),
    db.stripeEvent.deleteMany({ where: { shop } }),
    db.cart.deleteMany({ where: { shop } }),
    db.shippingRate.deleteMany({ where: { shop } }),
    db.taxRule.deleteMany({ where: { shop } }),
    db.webhookEvent.deleteMany({ where: { shop, NOT: { topic: "SHOP_REDACT" } } }),
    db.shop.deleteMany({ where: { domain: shop } }),
  ]);
}
