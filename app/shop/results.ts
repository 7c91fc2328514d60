// The merchant's results (issue 14), shaped for Home: periods, the checkout funnel and the
// hold time against the TTL. Pure: the numbers come from SQL (results.server.ts); this file
// turns grouped counts into what the page says, and is shared with the browser.

export const RESULT_PERIODS = [
  { key: "day", label: "Last 24 hours", days: 1 },
  { key: "week", label: "Last 7 days", days: 7 },
  { key: "month", label: "Last 30 days", days: 30 },
] as const;
export type PeriodKey = (typeof RESULT_PERIODS)[number]["key"];

export interface PeriodResults {
  /** Holds that ended in the period, and their units, by how they ended. */
  ended: Record<"committed" | "expired" | "released", { holds: number; units: number }>;
  /** Holds that became orders after another shopper was refused their items: sales the holds kept. */
  salesSaved: { holds: number; units: number };
  /** Shoppers refused a hold, the units missing, and the units Shopify still showed (held for others). */
  refusals: { shoppers: number; shortUnits: number };
  /** Refusals that would have sold the same units twice without holds (under "final check"). */
  oversellsPrevented: { shoppers: number; units: number };
}

export const FUNNEL_STAGES = [
  { stage: "cart", label: "Cart" },
  { stage: "checkout", label: "Checkout started" },
  { stage: "hold", label: "Stock held" },
  { stage: "payment", label: "Payment" },
  { stage: "order", label: "Order" },
] as const;

export const LOST_REASON_LABELS: Record<string, string> = {
  out_of_stock: "Sold out at checkout",
  price_changed: "Price changed",
  hold_expired: "Hold expired",
  payment_declined: "Payment declined",
  left: "Shopper left",
};

/** Carts created in the period, grouped by the stage they reached and why they were lost. */
export interface CartGroup {
  stage: string;
  lostReason: string | null;
  carts: number;
}

/** How many carts reached each stage (a cart at "payment" also reached "checkout" and "hold"), and why checkouts were lost. */
export function funnel(groups: CartGroup[]) {
  const rank = (stage: string) =>
    Math.max(
      0,
      FUNNEL_STAGES.findIndex((s) => s.stage === stage),
    );
  const reached = FUNNEL_STAGES.map((s, i) => ({ ...s, carts: groups.filter((g) => rank(g.stage) >= i).reduce((n, g) => n + g.carts, 0) }));
  const lost = new Map<string, number>();
  for (const g of groups) {
    if (g.stage === "order" || rank(g.stage) < 1) continue; // bought, or never started a checkout
    const reason = g.lostReason ?? "left";
    lost.set(reason, (lost.get(reason) ?? 0) + g.carts);
  }
  return {
    reached,
    lostCheckouts: [...lost.entries()]
      .map(([reason, carts]) => ({ reason, label: LOST_REASON_LABELS[reason] ?? reason, carts }))
      .sort((a, b) => b.carts - a.carts || a.reason.localeCompare(b.reason)),
  };
}

/** Fractions of the TTL that bound the hold-to-order buckets. */
export const TTL_BUCKETS = [0.25, 0.5, 0.75, 1] as const;

export interface HoldTimes {
  ttlMinutes: number;
  /** Orders in each bucket of hold-to-order time: ≤ ¼ TTL, ≤ ½, ≤ ¾, ≤ TTL, longer (extended). */
  buckets: number[];
  /** Holds that expired in the same period. */
  expired: number;
}

/** Orders needed before a TTL recommendation is made. */
export const MIN_ORDERS_FOR_ADVICE = 20;

/** A recommendation about the hold time, from when orders came against the TTL and how many holds expired. */
export function ttlAdvice({ ttlMinutes, buckets, expired }: HoldTimes): { tone: "success" | "warning" | "info"; text: string } {
  const orders = buckets.reduce((a, b) => a + b, 0);
  if (orders < MIN_ORDERS_FOR_ADVICE)
    return { tone: "info", text: `A recommendation appears after ${MIN_ORDERS_FOR_ADVICE} orders from holds (${orders} so far).` };
  const late = (buckets[3] + buckets[4]) / orders; // in the last quarter of the TTL, or after an extension
  const early = buckets[0] / orders;
  const expiredShare = expired / (expired + orders);
  if (late >= 0.1 && ttlMinutes < 20)
    return {
      tone: "warning",
      text: `${Math.round(late * 100)}% of orders came in the last quarter of the ${ttlMinutes}-minute hold: shoppers are running out of time. Consider a longer hold.`,
    };
  if (early >= 0.9 && expiredShare >= 0.2 && ttlMinutes > 10)
    return {
      tone: "warning",
      text: `9 in 10 orders came within ${Math.ceil(ttlMinutes / 4)} minutes, while ${Math.round(expiredShare * 100)}% of holds expired unused: a shorter hold would free stock sooner for other shoppers.`,
    };
  return { tone: "success", text: `The ${ttlMinutes}-minute hold fits how your shoppers check out.` };
}
