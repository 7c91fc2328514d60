// Totals by version: every cart write bumps the cart's totals version with its reason, and the
// totals computed for a version are stored only over an older one, so versions only move
// forward and a slow, stale calculation never replaces a newer answer. Three ways to get them:
// in the write's answer (sync), by polling (async), or pushed as Server-Sent Events (events).
// See docs/decisions/014-totals-modes.md.
import { EventEmitter } from "node:events";
import { eventStream } from "remix-utils/sse/server";
import db from "../db.server";
import type { Tx } from "../db.server";
import { isUniqueViolation } from "../db/errors.server";
import { CartError, cartTotals, prefetchFacts, type CartTotalsAnswer } from "./carts.server";
import { cartSettings, forgetCartSettings } from "../shop/cart-settings.server";

export const TOTALS_MODES = ["sync", "async", "events"] as const;
export type TotalsMode = (typeof TOTALS_MODES)[number];

export interface TotalsSnapshot {
  cartId: string;
  version: number;
  reason: string;
  computedAt: string;
  totals: CartTotalsAnswer;
}

type Client = typeof db | Tx;

/** Called inside a write's transaction: the write's new version. */
export async function bumpTotalsVersion(client: Client, shop: string, cartId: string, reason: string): Promise<number> {
  const cart = await client.cart.update({
    where: { id: cartId, shop },
    data: { totalsVersion: { increment: 1 }, totalsReason: reason },
    select: { totalsVersion: true },
  });
  return cart.totalsVersion;
}

/** Stores totals for a version unless a newer (or the same) version is already stored. */
export async function storeSnapshot(client: Client, shop: string, cartId: string, version: number, reason: string, totals: CartTotalsAnswer): Promise<boolean> {
  const data = { version, reason, totals: JSON.stringify(totals), computedAt: new Date() };
  for (let attempt = 0; attempt < 2; attempt++) {
    const { count } = await client.cartTotals.updateMany({ where: { cartId, shop, version: { lt: version } }, data });
    if (count) return true;
    if (await client.cartTotals.findUnique({ where: { cartId }, select: { version: true } })) return false;
    try {
      await client.cartTotals.create({ data: { cartId, shop, ...data } });
      return true;
    } catch (error) {
      // Another calculation stored first: compare versions again.
      if (!isUniqueViolation(error) || client !== db) throw error;
    }
  }
  return false;
}

function toSnapshot(row: { cartId: string; version: number; reason: string; computedAt: Date; totals: string }): TotalsSnapshot {
  return { cartId: row.cartId, version: row.version, reason: row.reason, computedAt: row.computedAt.toISOString(), totals: JSON.parse(row.totals) };
}

export async function latestSnapshot(shop: string, cartId: string): Promise<TotalsSnapshot | null> {
  const row = await db.cartTotals.findFirst({ where: { cartId, shop } });
  return row ? toSnapshot(row) : null;
}

/** New snapshots, per `${shop}|${cartId}`: what the events stream pushes. */
export const totalsEvents = new EventEmitter().setMaxListeners(0);
const eventKey = (shop: string, cartId: string) => `${shop}|${cartId}`;

export function onTotals(shop: string, cartId: string, listener: (snapshot: TotalsSnapshot) => void): () => void {
  totalsEvents.on(eventKey(shop, cartId), listener);
  return () => totalsEvents.off(eventKey(shop, cartId), listener);
}

/** Tells listeners about the stored snapshot (after a commit). */
export async function announce(shop: string, cartId: string): Promise<void> {
  const snapshot = await latestSnapshot(shop, cartId);
  if (snapshot) totalsEvents.emit(eventKey(shop, cartId), snapshot);
}

/** After a sync write: stores the answered totals and pushes them, if a stream here is watching the cart. */
export async function publishIfWatched(shop: string, cartId: string, version: number, reason: string, totals: CartTotalsAnswer): Promise<void> {
  if (!totalsEvents.listenerCount(eventKey(shop, cartId))) return;
  if (await storeSnapshot(db, shop, cartId, version, reason, totals)) await announce(shop, cartId);
}

const running = new Map<string, Promise<TotalsSnapshot | null>>();

/**
 * Brings the cart's stored totals up to its current version, in the background. One
 * calculation per cart at a time: writes arriving meanwhile are picked up by another round.
 * Resolves with the latest snapshot (null when the cart is gone).
 */
export function calculateInBackground(shop: string, cartId: string): Promise<TotalsSnapshot | null> {
  const key = eventKey(shop, cartId);
  const current = running.get(key);
  if (current) return current.then(() => calculateInBackground(shop, cartId));
  const job = (async () => {
    try {
      for (;;) {
        const cart = await db.cart.findFirst({ where: { id: cartId, shop }, select: { totalsVersion: true, totalsReason: true } });
        if (!cart) return null;
        const stored = await latestSnapshot(shop, cartId);
        if (stored && stored.version >= cart.totalsVersion) return stored;
        const totals = await cartTotals(shop, cartId, { facts: await prefetchFacts(shop, cartId) });
        if (await storeSnapshot(db, shop, cartId, cart.totalsVersion, cart.totalsReason, totals)) await announce(shop, cartId);
      }
    } finally {
      running.delete(key);
    }
  })();
  running.set(key, job);
  return job;
}

export async function readTotalsMode(shop: string): Promise<TotalsMode> {
  const { totalsMode } = await cartSettings(shop);
  return (TOTALS_MODES as readonly string[]).includes(totalsMode) ? (totalsMode as TotalsMode) : "sync";
}

/** The mode a request asks for (`?totals=` or `Prefer: respond-async`), else the shop's. */
export async function totalsModeOf(request: Request, shop: string): Promise<TotalsMode> {
  const asked = new URL(request.url).searchParams.get("totals");
  if (asked !== null) {
    if ((TOTALS_MODES as readonly string[]).includes(asked)) return asked as TotalsMode;
    throw new CartError(400, "invalid_totals_mode", `totals must be one of ${TOTALS_MODES.join(", ")}`);
  }
  if (/\brespond-async\b/i.test(request.headers.get("Prefer") ?? "")) return "async";
  return readTotalsMode(shop);
}

/**
 * The answer to a poll for a version's totals: 200 with the stored totals once a calculation
 * has reached that version, else 202 with Retry-After. Asking also makes sure a calculation
 * runs, so a version whose calculation was lost (a restart) is still answered.
 */
export async function totalsForVersion(shop: string, cartId: string, rawVersion: string | null) {
  const cart = await db.cart.findFirst({ where: { id: cartId, shop }, select: { totalsVersion: true } });
  if (!cart) throw new CartError(404, "cart_not_found", `No cart ${cartId} in this shop`);
  const wanted = rawVersion === null ? cart.totalsVersion : Number(rawVersion);
  if (!Number.isSafeInteger(wanted) || wanted < 0) throw new CartError(400, "invalid_request", "version must be a whole number ≥ 0");
  if (wanted > cart.totalsVersion)
    throw new CartError(404, "version_not_found", `This cart is at version ${cart.totalsVersion}; version ${wanted} does not exist yet`);
  const stored = await latestSnapshot(shop, cartId);
  if (stored && stored.version >= wanted) return { status: 200, body: stored };
  void calculateInBackground(shop, cartId).catch((error) => console.error(`totals calculation for cart ${cartId}: ${(error as Error).message}`));
  return { status: 202, body: { cartId, version: wanted, status: "pending", latestVersion: stored?.version ?? null }, headers: { "Retry-After": "1" } };
}

const POLL_MS = 2_000;

/**
 * Server-Sent Events: the current totals first (calculated if needed), then each newer version
 * as it is stored, by this instance or (found by polling) another. Never an older version.
 */
export async function totalsEventStream(signal: AbortSignal, shop: string, cartId: string): Promise<Response> {
  const cart = await db.cart.findFirst({ where: { id: cartId, shop }, select: { id: true } });
  if (!cart) throw new CartError(404, "cart_not_found", `No cart ${cartId} in this shop`);
  return eventStream(
    signal,
    (send) => {
      let sent = -1;
      const push = (snapshot: TotalsSnapshot | null) => {
        if (!snapshot || snapshot.version <= sent || signal.aborted) return;
        sent = snapshot.version;
        send({ event: "totals", data: JSON.stringify(snapshot) });
      };
      const stop = onTotals(shop, cartId, push);
      const catchUp = () =>
        calculateInBackground(shop, cartId).then(push, (error) => console.error(`totals stream for cart ${cartId}: ${(error as Error).message}`));
      void catchUp();
      const poll = setInterval(() => void catchUp(), POLL_MS);
      return () => {
        stop();
        clearInterval(poll);
      };
    },
    { headers: { "Cache-Control": "no-store", "X-Accel-Buffering": "no" } },
  );
}

export const TOTALS_MODE_LABELS: Record<TotalsMode, string> = {
  sync: "In the answer to every cart change (simplest)",
  async: "Calculated after the change; storefronts poll for them",
  events: "Calculated after the change; pushed to storefronts as events",
};

export async function saveTotalsMode(shop: string, mode: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  if (typeof mode !== "string" || !(TOTALS_MODES as readonly string[]).includes(mode)) return { ok: false, error: `Choose one of: ${TOTALS_MODES.join(", ")}` };
  await db.shop.upsert({ where: { domain: shop }, create: { domain: shop, totalsMode: mode }, update: { totalsMode: mode } });
  forgetCartSettings(shop);
  return { ok: true };
}
