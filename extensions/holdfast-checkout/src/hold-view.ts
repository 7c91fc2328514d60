// What the checkout extension shows, worked out from the app's answers, with no UI code: the
// hold and its time left (by the server's clock), the lines that are short, a hold that ended.
// The hold's end never ends the checkout: only the guarantee ends (WCAG 2.2.1 in spirit).
import type { CartHoldClaim } from "../../holdfast-validation/src/contract";

export interface HeldLine {
  variantId: string;
  quantity: number;
}

export type HoldView =
  | { kind: "holding" }
  | { kind: "nothing" }
  | { kind: "held"; id: string; endsAt: number; expiresAt: number; lines: HeldLine[]; extended: boolean }
  | { kind: "short"; lines: { variantId: string; title: string; wanted: number; available: number }[] }
  | { kind: "ended"; reason: string }
  | { kind: "unavailable" };

/** The hold answer's shape (the app's HoldStatus), as far as the extension reads it. */
interface HoldAnswer {
  id: string;
  state: string;
  remainingSeconds: number;
  /** The server's expiry (ISO): the claim the Function compares with the app's clock carries it. */
  expiresAt: string;
  /** Extended once already: no more time can be asked for. */
  extended?: boolean;
  lines: { inventoryItemId: string; locationId: string; quantity: number }[];
}

/** When the hold ends on this device's clock: now plus the seconds the server says are left. */
const endsAt = (hold: HoldAnswer, now: number) => now + Math.max(0, hold.remainingSeconds) * 1000;

/**
 * The view for an answer of POST /api/checkout/holds. `wanted` are the checkout's lines (what was
 * asked to be held) with their titles; `now` is this device's clock when the answer arrived.
 */
export function viewOfHoldAnswer(status: number, body: unknown, wanted: (HeldLine & { title: string })[], now: number): HoldView {
  const b = (body ?? {}) as { hold?: HoldAnswer | null; lines?: { variantId: string; quantity: number; available: number }[] };
  if (status === 200) {
    if (!b.hold) return { kind: "nothing" };
    if (b.hold.state !== "held" && b.hold.state !== "extended") return { kind: "ended", reason: b.hold.state };
    const tracked = new Set((b as { untracked?: string[] }).untracked ?? []);
    return {
      kind: "held",
      id: b.hold.id,
      extended: Boolean(b.hold.extended),
      endsAt: endsAt(b.hold, now),
      expiresAt: Math.floor(Date.parse(b.hold.expiresAt) / 1000),
      lines: wanted.filter((l) => !tracked.has(l.variantId)).map(({ variantId, quantity }) => ({ variantId, quantity })),
    };
  }
  if (status === 409 && Array.isArray(b.lines)) {
    const title = (id: string) => wanted.find((w) => w.variantId === id)?.title ?? "An item";
    return {
      kind: "short",
      lines: b.lines
        .filter((l) => l.available < l.quantity)
        .map((l) => ({ variantId: l.variantId, title: title(l.variantId), wanted: l.quantity, available: Math.max(0, l.available) })),
    };
  }
  // Anything else (the app unreachable, a refusal): the checkout goes on, without a guarantee.
  return { kind: "unavailable" };
}

/** Minutes and seconds left, and whether to warn (the last two minutes) or say it has ended. */
export function timeLeft(endsAtMs: number, now: number): { text: string; warn: boolean; over: boolean; seconds: number } {
  const seconds = Math.max(0, Math.ceil((endsAtMs - now) / 1000));
  return { text: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`, warn: seconds <= 120, over: seconds === 0, seconds };
}

/** The hold id of a cart's `$app:hold` claim (its JSON text), if it is one. */
export function claimIdOf(value: unknown): string | undefined {
  try {
    const claim = typeof value === "string" ? JSON.parse(value) : value;
    return claim && claim.v === 1 && typeof claim.id === "string" && /^[\w-]{1,64}$/.test(claim.id) ? claim.id : undefined;
  } catch {
    return undefined;
  }
}

/** The cart metafield the validation Function reads (`$app:hold`), for a live hold. */
export function claimOf(view: Extract<HoldView, { kind: "held" }>): CartHoldClaim {
  return { v: 1, id: view.id, expiresAt: view.expiresAt, lines: view.lines };
}

export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
