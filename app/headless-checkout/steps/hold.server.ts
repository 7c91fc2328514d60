// Step 2, hold: a hard hold on every tracked line, one atomic conditional update per line
// (app/holds/). Compensation: the run's active hold is released.
import { unauthenticated } from "../../shopify.server";
import { resolveMerchandise } from "../../holds/merchandise.server";
import { planHold } from "../../holds/strategy.server";
import { readHoldPolicy } from "../../shop/hold-policy.server";
import { activeHoldOf, holdForOwner, release, transferHold } from "../../holds/holds.server";
import { cartApiHoldOwner, headlessCheckoutHoldOwner } from "../../holds/owners";
import { PermanentStepFailure } from "../../saga/runner.server";
import { checkoutStep } from "../checkout-results.server";
import { markLost, reachStage } from "../../cart/stages.server";

export const holdStep = checkoutStep("hold", {
  action: async ({ shop, runId, input, results }) => {
    const priced = results.recalculate!;
    const { admin } = await unauthenticated.admin(shop);
    const { resolved, unknown } = await resolveMerchandise(
      shop,
      admin,
      priced.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
    );
    if (unknown.length) await markLost(shop, input.cartId, "out_of_stock");
    if (unknown.length) throw new PermanentStepFailure(`Not stocked for online orders: ${unknown.join(", ")}`, "not_available");
    // The hold the checkout page placed for this cart when it opened becomes the run's, so the
    // shopper's own units are never held twice (the last one would look sold out to them).
    const opened = await activeHoldOf(shop, cartApiHoldOwner(input.cartId));
    if (opened) await transferHold(shop, opened.id, cartApiHoldOwner(input.cartId), headlessCheckoutHoldOwner(runId), "carried into payment");
    const plan = await planHold(shop, "payment", resolved);
    if (!plan) {
      await reachStage(shop, input.cartId, "hold");
      return null; // nothing tracked to hold
    }
    const held = await holdForOwner(shop, {
      owner: headlessCheckoutHoldOwner(runId),
      kind: "hard",
      ttlMinutes: (await readHoldPolicy(shop)).holdTtlMinutes,
      lines: plan.lines.map(({ inventoryItemId, locationId, quantity }) => ({ inventoryItemId, locationId, quantity })),
    });
    if (!held.ok) {
      await markLost(shop, input.cartId, "out_of_stock");
      throw new PermanentStepFailure("Some items sold out while you were checking out", "not_available");
    }
    await reachStage(shop, input.cartId, "hold");
    return held.hold.id;
  },
  compensation: async ({ shop, runId }) => {
    const active = await activeHoldOf(shop, headlessCheckoutHoldOwner(runId));
    if (active) await release(shop, active.id, "checkout did not complete");
  },
});
