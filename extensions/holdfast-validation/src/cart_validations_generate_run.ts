// The validation (decision 021): a checkout line may take units covered by this cart's own live
// hold, plus the units nobody holds; a line that needs more is refused, with a message at the
// line that says what the shopper can do. Anything a shopper can write (attributes, notes) is
// ignored; only the app's `$app` metafields count.
import type { CartHoldClaim, HoldState } from "./contract";

export type BuyerJourneyStep = "CART_INTERACTION" | "CHECKOUT_INTERACTION" | "CHECKOUT_COMPLETION";

export interface CartValidationsGenerateRunInput {
  buyerJourney: { step: BuyerJourneyStep | null };
  cart: {
    lines: {
      id: string;
      quantity: number;
      merchandise: { __typename: string; id?: string; title?: string | null; product?: { id: string; title: string } };
    }[];
    hold: { jsonValue: unknown } | null;
  };
  validation: { state: { jsonValue: unknown } | null };
}

export interface ValidationError {
  message: string;
  target: string;
}

export interface CartValidationsGenerateRunResult {
  operations: { validationAdd: { errors: ValidationError[] } }[];
}

const NONE: CartValidationsGenerateRunResult = { operations: [] };

function readState(value: unknown): HoldState | null {
  const s = value as Partial<HoldState> | null;
  if (!s || s.v !== 1 || typeof s.asOf !== "number" || typeof s.free !== "object" || s.free === null) return null;
  return {
    v: 1,
    asOf: s.asOf,
    enforce: s.enforce !== false,
    free: s.free,
    ended: Array.isArray(s.ended) ? s.ended : [],
    exemptProducts: Array.isArray(s.exemptProducts) ? s.exemptProducts : [],
  };
}

/** The units this cart's hold still covers, by variant: none if it has ended (by the state's clock) or was ended early. */
function covered(value: unknown, state: HoldState): Map<string, number> {
  const units = new Map<string, number>();
  const claim = value as Partial<CartHoldClaim> | null;
  if (!claim || claim.v !== 1 || typeof claim.id !== "string" || typeof claim.expiresAt !== "number" || !Array.isArray(claim.lines)) return units;
  if (claim.expiresAt <= state.asOf || state.ended.includes(claim.id)) return units;
  for (const line of claim.lines)
    if (typeof line?.variantId === "string" && Number.isInteger(line.quantity) && line.quantity > 0)
      units.set(line.variantId, (units.get(line.variantId) ?? 0) + line.quantity);
  return units;
}

const name = (line: CartValidationsGenerateRunInput["cart"]["lines"][number]) => {
  const product = line.merchandise.product?.title ?? "This item";
  const variant = line.merchandise.title;
  return variant && variant !== "Default Title" ? `${product} (${variant})` : product;
};

export function cartValidationsGenerateRun(input: CartValidationsGenerateRunInput): CartValidationsGenerateRunResult {
  // Adding to the cart is never blocked: the hold is taken when the shopper heads to checkout.
  if (input.buyerJourney.step === "CART_INTERACTION") return NONE;
  const state = readState(input.validation.state?.jsonValue);
  // No state yet (just installed) or holds off: Shopify's own stock check is what applies.
  if (!state || !state.enforce) return NONE;
  const mine = covered(input.cart.hold?.jsonValue, state);

  // Lines of one variant share its units (a variant may sit on several lines).
  const wanted = new Map<string, { quantity: number; first: number }>();
  input.cart.lines.forEach((line, index) => {
    const m = line.merchandise;
    if (m.__typename !== "ProductVariant" || !m.id || (m.product && state.exemptProducts.includes(m.product.id))) return;
    const seen = wanted.get(m.id);
    if (seen) seen.quantity += line.quantity;
    else wanted.set(m.id, { quantity: line.quantity, first: index });
  });

  const errors: ValidationError[] = [];
  for (const [variantId, { quantity, first }] of wanted) {
    const free = state.free[variantId];
    if (free === undefined) continue; // nobody holds any of it
    const allowed = (mine.get(variantId) ?? 0) + Math.max(0, free);
    if (quantity <= allowed) continue;
    const line = input.cart.lines[first];
    errors.push({
      target: `$.cart.lines[${first}].quantity`,
      message:
        allowed === 0
          ? `${name(line)} is held for other shoppers who are checking out. Remove it to continue; it may be back in a few minutes.`
          : `Only ${allowed} of ${name(line)} can be bought right now: the rest is held for other shoppers. Change the quantity to ${allowed} to continue.`,
    });
  }
  return errors.length ? { operations: [{ validationAdd: { errors } }] } : NONE;
}
