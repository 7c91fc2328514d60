// Step 1, recalculate: the cart is priced again, synchronously. The shopper pays what they were
// shown, or is told why not (a price, a discount or a rate changed; an item is gone).
import db from "../../db.server";
import { cartTotals, prefetchFacts } from "../../cart/carts.server";
import { formatDecimal } from "../../totals/money";
import { PermanentStepFailure } from "../../saga/runner.server";
import { checkoutStep, type Priced } from "../checkout-results.server";
import { markLost, reachStage } from "../../cart/stages.server";

export const recalculateStep = checkoutStep("recalculate", {
  action: async ({ shop, input }): Promise<Priced> => {
    const facts = await prefetchFacts(shop, input.cartId);
    const cart = await db.cart.findFirst({ where: { id: input.cartId, shop } });
    if (!cart || cart.convertedAt) throw new PermanentStepFailure("This cart no longer exists or was already bought", "cart_not_found");
    const lines = await db.cartLine.findMany({ where: { cartId: cart.id }, orderBy: { createdAt: "asc" } });
    if (!lines.length) throw new PermanentStepFailure("The cart is empty", "cart_empty");
    await reachStage(shop, cart.id, "checkout");
    const gone = lines.filter((l) => !facts.variants.get(l.variantId)?.availableForSale);
    if (gone.length) await markLost(shop, cart.id, "out_of_stock");
    if (gone.length) throw new PermanentStepFailure(`No longer for sale: ${gone.map((l) => l.title).join(", ")}`, "not_available");
    const totals = await cartTotals(shop, cart.id, { facts });
    if (lines.some((l) => l.requiresShipping) && !totals.shippingRate) throw new PermanentStepFailure("Choose a shipping rate first", "shipping_rate_required");
    if (totals.grandTotal !== input.expectedTotal) {
      await markLost(shop, cart.id, "price_changed");
      throw new PermanentStepFailure(
        `The total changed from ${formatDecimal(input.expectedTotal, cart.currency)} to ${formatDecimal(totals.grandTotal, cart.currency)} ${cart.currency}` +
          (totals.priceChanges.length ? ` (${totals.priceChanges.map((p) => `${p.title}: ${p.was} → ${p.now}`).join("; ")})` : ""),
        "total_changed",
      );
    }
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
});
