// The hold policy's vocabulary, shared by the server and the admin pages.

export const HOLD_STRATEGIES = ["checkout_start", "final_check", "add_to_cart", "hybrid"] as const;
export type HoldStrategy = (typeof HOLD_STRATEGIES)[number];
export const HOLD_TTL_MINUTES = { min: 10, max: 20, default: 15 } as const;

export const HOLD_STRATEGY_LABELS: Record<HoldStrategy, string> = {
  checkout_start: "Reserve when checkout starts",
  final_check: "Check stock only at payment (no hold)",
  add_to_cart: "Reserve on add to cart (soft hold)",
  hybrid: "Hybrid: soft on add to cart, hard at checkout start",
};
