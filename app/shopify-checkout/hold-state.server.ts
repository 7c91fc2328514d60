// What the validation Function knows of the shop's holds (decision 021): for every variant
// anyone holds, how many units a buyer with no hold may still take through Shopify's checkout
// (Shopify's available, less what Holdfast holds that Shopify has not moved to `reserved`),
// the holds that ended before their expiry, and the app's clock. Written on the validation as
// `$app:state`; the Function reads it, since it can neither call out nor read the clock.
import { createHash } from "node:crypto";
import db from "../db.server";
import { adminGraphql, type AdminGraphqlClient } from "../shopify/admin-graphql.server";
import type { HoldState } from "../../extensions/holdfast-validation/src/contract";
import { STATE_METAFIELD } from "../../extensions/holdfast-validation/src/contract";
import { findValidation } from "./validation.server";
import { coalesced } from "../lib/single-flight";

/** Variants a buyer's checkout reads (the Function's own input limit keeps this bounded). */
export const MAX_CONTESTED_VARIANTS = 2_000;

export async function holdStateFor(shop: string, now = new Date()): Promise<HoldState> {
  // Items anyone holds: what is still free for a buyer with no hold, summed over locations.
  const levels = await db.stockLevel.findMany({ where: { shop, held: { gt: 0 } }, select: { inventoryItemId: true } });
  const items = [...new Set(levels.map((l) => l.inventoryItemId))];
  const stock = items.length ? await db.stockLevel.findMany({ where: { shop, inventoryItemId: { in: items } } }) : [];
  const freeByItem = new Map<string, number>();
  for (const s of stock) freeByItem.set(s.inventoryItemId, (freeByItem.get(s.inventoryItemId) ?? 0) + s.shopifyAvailable + s.mirrored - s.held);
  const variants = items.length ? await db.variantItem.findMany({ where: { shop, inventoryItemId: { in: items } }, orderBy: { variantId: "asc" } }) : [];
  const free: Record<string, number> = {};
  for (const v of variants.slice(0, MAX_CONTESTED_VARIANTS)) free[v.variantId] = freeByItem.get(v.inventoryItemId) ?? 0;
  // Holds that ended before their expiry: a cart's claim on one must not count any more.
  const ended = await db.hold.findMany({
    where: { shop, state: { in: ["released", "committed", "expired"] }, expiresAt: { gt: now } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  // Products the merchant set to "final check": nothing is held for them in Shopify's checkout,
  // so the Function leaves them to Shopify's own stock check.
  const exempt = await db.holdStrategyOverride.findMany({
    where: { shop, strategy: "final_check" },
    select: { productId: true },
    orderBy: { productId: "asc" },
  });
  return {
    v: 1,
    asOf: Math.floor(now.getTime() / 1000),
    enforce: true,
    free,
    ended: ended.map((h) => h.id),
    exemptProducts: exempt.slice(0, MAX_CONTESTED_VARIANTS).map((o) => o.productId),
  };
}

export const HOLD_STATE_SET = `#graphql
  mutation HoldfastHoldState($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key namespace }
      userErrors { field message code }
    }
  }
`;

const published = new Map<string, { digest: string; at: number }>();
/** The validation's id per shop, looked up at most once a minute (a write to a gone one looks again). */
const validationIds = new Map<string, { id: string; at: number }>();
const VALIDATION_ID_TTL_MS = 60_000;
/** One write per shop at a time, in order: an older state never lands after a newer one. */
const publishing = coalesced<boolean>();

async function validationIdOf(shop: string, admin: AdminGraphqlClient): Promise<string | null> {
  const cached = validationIds.get(shop);
  if (cached && Date.now() - cached.at < VALIDATION_ID_TTL_MS) return cached.id;
  const id = (await findValidation(admin))?.id ?? null;
  // None yet is not remembered: Settings may switch it on at any moment.
  if (id) validationIds.set(shop, { id, at: Date.now() });
  return id;
}

/**
 * Writes the shop's hold state onto its validation when it changed, or when the last write is
 * older than `heartbeatMs` (the Function's clock must not stop). Returns whether it wrote. The
 * state written is read after the call: a hold placed before it is in it. Calls made together
 * share one write.
 */
export function publishHoldState(shop: string, admin: AdminGraphqlClient, o: { now?: Date; heartbeatMs?: number } = {}): Promise<boolean> {
  return publishing(shop, () => writeHoldState(shop, admin, o));
}

async function writeHoldState(shop: string, admin: AdminGraphqlClient, o: { now?: Date; heartbeatMs?: number }): Promise<boolean> {
  const now = o.now ?? new Date();
  const state = await holdStateFor(shop, now);
  const digest = createHash("sha256")
    .update(JSON.stringify({ ...state, asOf: 0 }))
    .digest("hex");
  const last = published.get(shop);
  if (last && last.digest === digest && now.getTime() - last.at < (o.heartbeatMs ?? 60_000)) return false;
  const validationId = await validationIdOf(shop, admin);
  if (!validationId) return false; // not switched on: Settings says so
  const { data } = await adminGraphql<{ metafieldsSet: { userErrors: { message: string }[] } }>(admin, HOLD_STATE_SET, {
    metafields: [{ ownerId: validationId, namespace: STATE_METAFIELD.namespace, key: STATE_METAFIELD.key, type: "json", value: JSON.stringify(state) }],
  });
  if (data.metafieldsSet.userErrors.length) {
    validationIds.delete(shop); // perhaps deleted and made anew: look it up next time
    throw new Error(`Shopify refused the hold state: ${data.metafieldsSet.userErrors.map((e) => e.message).join("; ")}`);
  }
  published.set(shop, { digest, at: now.getTime() });
  return true;
}

/** For tests: forget what was published, so the next call writes. */
export function forgetPublishedHoldStates() {
  validationIds.clear();
  published.clear();
}
