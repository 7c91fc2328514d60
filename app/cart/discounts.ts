// Discount codes as the totals pipeline sees them: which of a cart's codes apply right now, and
// the line, order and shipping discounts they give. Pure; the Shopify lookup is in
// discounts.server.ts. See docs/decisions/013-discount-codes.md.
import { allocate, type Minor } from "../totals/money";
import type { DiscountValue, LineDiscount, OrderDiscount, ShippingDiscount } from "../totals/totals";

export type DiscountClass = "order" | "product" | "shipping";

/** A Shopify code discount Holdfast can apply, in minor units of the shop's currency. */
export interface DiscountRule {
  code: string;
  title: string;
  class: DiscountClass;
  /** product and order classes. */
  value?: DiscountValue;
  /** An amount off each entitled unit rather than off the entitled lines together. */
  appliesOnEachItem?: boolean;
  /** product class: the entitled products and variants (gids). */
  productIds?: string[];
  variantIds?: string[];
  minimumSubtotal?: Minor;
  minimumQuantity?: number;
  /** shipping class. */
  maximumShippingPrice?: Minor;
  /** shipping class: destination countries; null = everywhere. */
  countries?: string[] | null;
  combinesWith: { order: boolean; product: boolean; shipping: boolean };
}

export interface DiscountableLine {
  id: string;
  variantId: string;
  productId: string;
  quantity: number;
  unitPrice: Minor;
}

export interface CodeStatus {
  code: string;
  title: string | null;
  applied: boolean;
  reason?: string;
}

export interface CartDiscounts {
  lineDiscounts: LineDiscount[];
  orderDiscounts: OrderDiscount[];
  shippingDiscounts: ShippingDiscount[];
  codes: CodeStatus[];
}

const entitles = (rule: DiscountRule, line: DiscountableLine) =>
  Boolean(rule.variantIds?.includes(line.variantId) || rule.productIds?.includes(line.productId));

/** Two codes may be used together only when each allows the other's class. */
export function combinable(a: DiscountRule, b: DiscountRule): boolean {
  return a.combinesWith[b.class] && b.combinesWith[a.class];
}

/**
 * The discounts a cart's codes give now. A code that is known but does not apply (a minimum not
 * met, no entitled item, a destination it does not ship to) is listed with the reason, so the
 * shopper sees why. `rules` maps each code to its rule, or to the reason it cannot be used.
 */
export function evaluateDiscounts(
  codes: string[],
  rules: Map<string, DiscountRule | { unusable: string }>,
  lines: DiscountableLine[],
  destinationCountry: string | null,
  formatMoney: (minor: Minor) => string,
): CartDiscounts {
  const result: CartDiscounts = { lineDiscounts: [], orderDiscounts: [], shippingDiscounts: [], codes: [] };
  const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  const units = lines.reduce((s, l) => s + l.quantity, 0);
  for (const code of codes) {
    const rule = rules.get(code);
    if (!rule || "unusable" in rule) {
      result.codes.push({ code, title: null, applied: false, reason: rule ? rule.unusable : "This code is not valid" });
      continue;
    }
    const skip = (reason: string) => result.codes.push({ code, title: rule.title, applied: false, reason });
    if (rule.minimumSubtotal !== undefined && subtotal < rule.minimumSubtotal) {
      skip(`Spend ${formatMoney(rule.minimumSubtotal)} or more to use this code`);
      continue;
    }
    if (rule.minimumQuantity !== undefined && units < rule.minimumQuantity) {
      skip(`Buy ${rule.minimumQuantity} or more items to use this code`);
      continue;
    }
    if (rule.class === "shipping") {
      if (rule.countries && (!destinationCountry || !rule.countries.includes(destinationCountry))) {
        skip(destinationCountry ? `Free shipping does not cover ${destinationCountry}` : "Add a shipping address to use this code");
        continue;
      }
      result.shippingDiscounts.push({
        code,
        value: { kind: "percent", basisPoints: 10_000 },
        ...(rule.maximumShippingPrice !== undefined ? { maximumShippingPrice: rule.maximumShippingPrice } : {}),
      });
    } else if (rule.class === "order") {
      result.orderDiscounts.push({ code, value: rule.value! });
    } else {
      const entitled = lines.filter((l) => entitles(rule, l));
      if (!entitled.length) {
        skip("None of the items in the cart are eligible for this code");
        continue;
      }
      const value = rule.value!;
      if (value.kind === "percent") entitled.forEach((l) => result.lineDiscounts.push({ code, lineId: l.id, value }));
      else if (rule.appliesOnEachItem)
        entitled.forEach((l) => result.lineDiscounts.push({ code, lineId: l.id, value: { kind: "amount", amount: value.amount * l.quantity } }));
      else {
        // An amount off the entitled items together, shared by their subtotals.
        const shares = allocate(
          value.amount,
          entitled.map((l) => l.unitPrice * l.quantity),
        );
        entitled.forEach((l, i) => shares[i] && result.lineDiscounts.push({ code, lineId: l.id, value: { kind: "amount", amount: shares[i] } }));
      }
    }
    result.codes.push({ code, title: rule.title, applied: true });
  }
  return result;
}
