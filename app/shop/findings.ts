// What the reconcilers found, in the merchant's words: each kind of finding, and what Holdfast
// does about it (or why a person should look). Shared by the home page and the Findings page.
export const FINDINGS: Record<string, { label: string; done: string }> = {
  held_drift: { label: "Held units recomputed from the active holds", done: "The ledger's held count was recomputed from the holds themselves." },
  shopify_drift: { label: "Shopify's stock differed; ledger updated", done: "The ledger took Shopify's number; holds that no longer fit were released." },
  mirror_exceeds_reserved: {
    label: "Reserved units moved outside Holdfast",
    done: "Nothing changed automatically: something other than Holdfast moved reserved units. Check the item's inventory history in Shopify.",
  },
  hold_past_expiry: { label: "Overdue hold expired", done: "The hold was expired and its units given back." },
  move_parked: { label: "Shopify move retried", done: "A move Shopify kept refusing was put back in the queue with a fresh read." },
  payment_without_order: { label: "Payment without an order undone", done: "The payment was cancelled or refunded: no order was made for it." },
  order_without_payment: { label: "Order of a failed checkout cancelled", done: "The order was cancelled: its checkout never took the money." },
  saga_stuck: { label: "Checkout stuck: undoing it keeps failing", done: "Nothing more is tried automatically. Look at the checkout's timeline." },
  saga_stuck_retried: { label: "Stuck checkout: undoing it retried", done: "Undoing the checkout was tried again." },
  saga_overdue: { label: "Forgotten checkout moved on", done: "The checkout nobody was moving was moved on." },
};

export const findingLabel = (kind: string) => FINDINGS[kind]?.label ?? kind;
