// A holder's hold at checkout start, in the words of merchandise (variants), as the shop's
// strategy says: shared by Shopify's checkout (the extension, the theme's cart) and Holdfast's
// own checkout page (a Cart API cart). Each caller says whether Shopify is told (`reserved`).
import type { z } from "zod";
import type { AdminGraphqlClient } from "../shopify/admin-graphql.server";
import db from "../db.server";
import { readHoldPolicy } from "../shop/hold-policy.server";
import {
  activeHoldOf,
  extend,
  HoldError,
  holdForOwner,
  MAX_EXTENSION_MINUTES,
  release,
  status,
  type HoldOwner,
  type HoldStatus,
  type LineAvailability,
} from "./holds.server";
import { merchandiseLinesSchema, resolveMerchandise, type ResolvedLine } from "./merchandise.server";
import { planHold } from "./strategy.server";

export type CheckoutStartAnswer =
  | { status: 200; body: { hold: HoldStatus | null; untracked: string[]; strategy: "hold" | "none" } }
  | { status: 409; body: { error: { code: "unavailable"; message: string }; lines: (LineAvailability & { variantId: string })[] } }
  | { status: 422; body: { error: { code: "unknown_variants"; message: string }; variantIds: string[] } };

/** Creates or refreshes `holder`'s hold on `lines` as the shop's strategy says for checkout start. */
export async function holdAtCheckoutStart(
  shop: string,
  admin: AdminGraphqlClient,
  holder: HoldOwner,
  lines: z.infer<typeof merchandiseLinesSchema>,
  { shopifyReserve }: { shopifyReserve: boolean },
): Promise<CheckoutStartAnswer> {
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
    shopifyReserve,
    lines: plan.lines.map(({ inventoryItemId, locationId, quantity }) => ({ inventoryItemId, locationId, quantity })),
  });
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

/** `holder`'s active hold, or its latest one (so the shopper can be told it ended). */
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

/**
 * More time for the shopper, once per hold, as far as the shop's policy allows: the hold lives
 * at least the shop's hold time more. The hold's end never ends the checkout, only the guarantee.
 */
export async function extendHoldOf(shop: string, holder: HoldOwner): Promise<{ hold: HoldStatus } | { status: 404 | 409; code: string; message: string }> {
  const active = await activeHoldOf(shop, holder);
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
