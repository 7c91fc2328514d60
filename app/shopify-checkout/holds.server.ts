// Holds for Shopify's checkout, in the words of merchandise (variants), with the server's clock:
// the checkout UI extension's (keyed by the checkout token) and the theme cart's (keyed by the
// cart token, through the app proxy). Both follow the shop's strategy for checkout start.
import { z } from "zod";
import type { AdminGraphqlClient } from "../shopify/admin-graphql.server";
import {
  activeHoldOf,
  extend,
  HoldError,
  holdForOwner,
  MAX_EXTENSION_MINUTES,
  release,
  status,
  transferHold,
  type HoldStatus,
  type LineAvailability,
} from "../holds/holds.server";
import { merchandiseLinesSchema, resolveMerchandise, type ResolvedLine } from "../holds/merchandise.server";
import { planHold } from "../holds/strategy.server";
import { readHoldPolicy } from "../shop/hold-policy.server";
import db from "../db.server";
import { shopifyCheckoutHoldOwner as owner, shopifyTokenOf } from "../holds/owners";
import { publishHoldState } from "./hold-state.server";
import type { HoldOwner } from "../holds/holds.server";

/** A token Shopify gives a checkout or a cart, named `name` in what the client sends. */
export const shopifyTokenSchema = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} is required`)
    .max(255, `${name} is too long`)
    .regex(/^[\w-]+$/, `${name} has unexpected characters`);

export const checkoutTokenSchema = shopifyTokenSchema("checkoutToken");
export const checkoutHoldRequestSchema = z.object({
  checkoutToken: checkoutTokenSchema,
  lines: merchandiseLinesSchema,
  /** The hold the checkout's cart claims (`$app:hold`), placed by the theme before the checkout existed. */
  cartHoldId: z
    .string()
    .regex(/^[\w-]{1,64}$/, "cartHoldId has unexpected characters")
    .optional(),
});

export type CheckoutHoldAnswer =
  | { status: 200; body: { hold: HoldStatus | null; untracked: string[]; strategy: "hold" | "none" } }
  | { status: 409; body: { error: { code: "unavailable"; message: string }; lines: (LineAvailability & { variantId: string })[] } }
  | { status: 422; body: { error: { code: "unknown_variants"; message: string }; variantIds: string[] } };

/**
 * Creates or refreshes the checkout's hold as the shop's strategy says for checkout start. A hold
 * the theme placed for this checkout's cart is carried over to the checkout first, so the same
 * units are never held twice for one shopper (the last unit would look short to its own holder).
 */
export async function holdCheckout(shop: string, admin: AdminGraphqlClient, request: z.infer<typeof checkoutHoldRequestSchema>): Promise<CheckoutHoldAnswer> {
  if (request.cartHoldId) await adoptCartHold(shop, request.cartHoldId, request.checkoutToken);
  return holdForShopifyCheckout(shop, admin, owner(request.checkoutToken), request.lines);
}

/**
 * The cart's live hold becomes the checkout's: one conditional update, only for a hold the theme
 * placed (a cart's, never another checkout's or a headless one), only while the checkout has
 * none. The hold id is known only to that cart (its `$app:hold`, readable in its checkout).
 */
async function adoptCartHold(shop: string, holdId: string, checkoutToken: string) {
  const holder = owner(checkoutToken);
  if (await activeHoldOf(shop, holder)) return;
  const hold = await db.hold.findFirst({ where: { id: holdId, shop, state: { in: ["held", "extended"] } }, select: { ownerType: true, ownerId: true } });
  const token = hold && shopifyTokenOf({ type: hold.ownerType, id: hold.ownerId });
  if (!token || !("cartToken" in token)) return;
  await transferHold(shop, holdId, { type: hold!.ownerType as "checkout", id: hold!.ownerId }, holder, "carried into the checkout");
}

/** Creates or refreshes `holder`'s hold on `lines` as the shop's strategy says for checkout start. */
export async function holdForShopifyCheckout(
  shop: string,
  admin: AdminGraphqlClient,
  holder: HoldOwner,
  lines: z.infer<typeof merchandiseLinesSchema>,
): Promise<CheckoutHoldAnswer> {
  const current = await activeHoldOf(shop, holder);
  const { resolved, untracked, unknown } = await resolveMerchandise(shop, admin, lines, current?.lines);
  if (unknown.length)
    return {
      status: 422,
      body: {
        error: { code: "unknown_variants", message: `These variants are not sold by this shop or not stocked for online orders: ${unknown.join(", ")}` },
        variantIds: unknown,
      },
    };
  const untrackedIds = untracked.map((l) => l.variantId);
  const plan = await planHold(shop, "checkout_start", resolved);
  if (!plan) {
    // The strategy holds nothing now (final check at payment): drop a hold left from before.
    if (current) await release(shop, current.id, "strategy holds nothing at checkout start");
    return { status: 200, body: { hold: null, untracked: untrackedIds, strategy: "none" } };
  }
  const result = await holdForOwner(shop, {
    owner: holder,
    kind: plan.kind,
    ttlMinutes: (await readHoldPolicy(shop)).holdTtlMinutes,
    // Left `available` in Shopify, so the holder can still buy them; the validation Function
    // keeps every other Shopify checkout off them (decision 021).
    shopifyReserve: false,
    lines: plan.lines.map(({ inventoryItemId, locationId, quantity }) => ({ inventoryItemId, locationId, quantity })),
  });
  // The shopper hears the answer only once the state the validation Function reads includes
  // every hold placed so far: a "held" shopper's units can no longer be taken by another Shopify
  // checkout, and a "short" one is refused by the Function too, not by luck (decision 022).
  // Answers given together share one write; if Shopify cannot take it now, the job writes it soon.
  await publishHoldState(shop, admin).catch((error) => console.warn(`hold state for ${shop} not published yet: ${(error as Error).message}`));
  if (result.ok) return { status: 200, body: { hold: result.hold, untracked: untrackedIds, strategy: "hold" } };
  const variantOf = (l: LineAvailability) =>
    plan.lines.find((r: ResolvedLine) => r.inventoryItemId === l.inventoryItemId && r.locationId === l.locationId)?.variantId ?? "";
  const short = result.lines.filter((l) => l.available < l.quantity);
  return {
    status: 409,
    body: {
      error: {
        code: "unavailable",
        message: `Not enough stock for ${short.length} line${short.length === 1 ? "" : "s"}: ${short.map((l) => `${variantOf(l)} (${l.available} of ${l.quantity} available)`).join(", ")}`,
      },
      lines: result.lines.map((l) => ({ ...l, variantId: variantOf(l) })),
    },
  };
}

/** The checkout's active hold, or its latest one (so the extension can say it expired). */
export const checkoutHoldStatus = (shop: string, checkoutToken: string) => latestHoldOf(shop, owner(checkoutToken));

/** `holder`'s active hold, or its latest one. */
export async function latestHoldOf(shop: string, holder: HoldOwner): Promise<HoldStatus | null> {
  const active = await activeHoldOf(shop, holder);
  if (active) return active;
  const latest = await db.hold.findFirst({
    where: { shop, ownerType: holder.type, ownerId: holder.id },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (!latest) return null;
  return status(shop, latest.id);
}

export async function releaseCheckoutHold(shop: string, checkoutToken: string): Promise<HoldStatus | null> {
  const active = await activeHoldOf(shop, owner(checkoutToken));
  if (!active) return checkoutHoldStatus(shop, checkoutToken);
  return release(shop, active.id, "released by the checkout");
}

/**
 * More time for the shopper, once per hold, as far as the shop's policy allows: the hold lives
 * at least the shop's hold time more. The hold's end never ends the checkout, only the guarantee.
 */
export async function extendCheckoutHold(
  shop: string,
  checkoutToken: string,
): Promise<{ hold: HoldStatus } | { status: 404 | 409; code: string; message: string }> {
  const active = await activeHoldOf(shop, owner(checkoutToken));
  if (!active) return { status: 404, code: "not_found", message: "This checkout has no active hold to extend" };
  const minutes = Math.min((await readHoldPolicy(shop)).holdTtlMinutes, MAX_EXTENSION_MINUTES);
  try {
    return { hold: await extend(shop, active.id, minutes) };
  } catch (error) {
    if (error instanceof HoldError && error.code === "already_extended")
      return { status: 409, code: "already_extended", message: "This hold was already extended once" };
    if (error instanceof HoldError && error.code === "not_active") return { status: 409, code: "hold_ended", message: "This hold has ended: reserve again" };
    throw error;
  }
}
