// Step 7, complete: the hold is committed (the units are sold) and the cart converted.
import db from "../../db.server";
import { commit, HoldError } from "../../holds/holds.server";
import { checkoutStep } from "../checkout-results.server";
import { reachStage } from "../../cart/stages.server";

export const completeStep = checkoutStep("complete", {
  maxAttempts: 1_000,
  action: async ({ shop, input, results }) => {
    const order = String(results["shopify order"]);
    // A hold that expired meanwhile cannot be committed: the sweeper gave its units back and the
    // order has taken them in Shopify; the reconciler squares the ledger. The sale stands.
    if (results.hold)
      await commit(shop, results.hold, `order ${order.split("/").pop()} placed`, order).catch((error) => {
        if (!(error instanceof HoldError)) throw error;
      });
    await db.cart.updateMany({ where: { id: input.cartId, shop, convertedAt: null }, data: { convertedAt: new Date(), lostReason: null } });
    await reachStage(shop, input.cartId, "order");
    return order;
  },
});
