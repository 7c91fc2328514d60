// Honest totals: an ordered pipeline of pure steps over integer minor units,
//   line subtotals → line discounts → order discounts → shipping → tax → grand total,
// each recording the adjustments it made, with their source and reason, so a total can be
// explained line by line. See docs/decisions/009-totals-pipeline.md.
import { allocate, assertMinor, currencyExponent, mulDivRound, type Minor } from "./money";

export interface TotalsLine {
  id: string;
  variantId: string;
  quantity: number;
  unitPrice: Minor;
  taxable: boolean;
  requiresShipping: boolean;
  weightGrams: number;
}

/** percent in basis points (1000 = 10%), amount in minor units. */
export type DiscountValue = { kind: "percent"; basisPoints: number } | { kind: "amount"; amount: Minor };
export interface LineDiscount {
  code: string;
  lineId: string;
  value: DiscountValue;
}
export interface OrderDiscount {
  code: string;
  value: DiscountValue;
}
/** Off the chosen shipping rate; only when the rate costs at most `maximumShippingPrice` (if given). */
export interface ShippingDiscount {
  code: string;
  value: DiscountValue;
  maximumShippingPrice?: Minor;
}

export type ShippingRate =
  | { id: string; title: string; kind: "flat"; amount: Minor; freeOver?: Minor }
  | { id: string; title: string; kind: "weight"; bands: { upToGrams: number; amount: Minor }[]; freeOver?: Minor };

export interface TaxRule {
  country: string;
  province?: string;
  basisPoints: number;
  shipping: boolean;
}

export interface TotalsInput {
  currency: string;
  lines: TotalsLine[];
  lineDiscounts?: LineDiscount[];
  orderDiscounts?: OrderDiscount[];
  shippingDiscounts?: ShippingDiscount[];
  shippingRates?: ShippingRate[];
  chosenShippingRateId?: string | null;
  destination?: { country: string; province?: string } | null;
  taxRules?: TaxRule[];
  /** Prices include tax (as in the EU): tax is carved out of them, not added. */
  pricesIncludeTax?: boolean;
}

export interface Adjustment {
  step: "line" | "line_discount" | "order_discount" | "shipping" | "tax";
  source: string;
  lineId?: string;
  amount: Minor;
  reason: string;
}

export interface LineTotals {
  id: string;
  subtotal: Minor;
  discount: Minor;
  net: Minor;
  tax: Minor;
}

export interface Totals {
  currency: string;
  exponent: number;
  lines: LineTotals[];
  subtotal: Minor;
  discounts: Minor;
  shipping: Minor;
  shippingRate: { id: string; title: string } | null;
  availableShippingRates: { id: string; title: string; amount: Minor }[];
  tax: Minor;
  taxIncluded: boolean;
  /** The tax by rate (one rule applies to a cart), as an order's tax lines carry it. */
  taxLines: { title: string; basisPoints: number; amount: Minor }[];
  grandTotal: Minor;
  adjustments: Adjustment[];
}

interface State {
  input: TotalsInput;
  lines: LineTotals[];
  shipping: Minor;
  shippingTax: Minor;
  shippingRate: Totals["shippingRate"];
  availableShippingRates: Totals["availableShippingRates"];
  adjustments: Adjustment[];
  taxRule?: TaxRule;
}

type Step = (s: State) => State;

const sum = (xs: Minor[]) => xs.reduce((a, b) => a + b, 0);
const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const discountOf = (value: DiscountValue, base: Minor) =>
  Math.min(base, value.kind === "percent" ? mulDivRound(base, value.basisPoints, 10_000) : value.amount);

const lineSubtotals: Step = (s) => {
  const lines = s.input.lines.map((l) => ({ id: l.id, subtotal: assertMinor(l.unitPrice * l.quantity, `line ${l.id} subtotal`), discount: 0, net: 0, tax: 0 }));
  return {
    ...s,
    lines: lines.map((l) => ({ ...l, net: l.subtotal })),
    adjustments: [
      ...s.adjustments,
      ...lines.map((l) => ({ step: "line" as const, source: `line:${l.id}`, lineId: l.id, amount: l.subtotal, reason: "unit price × quantity" })),
    ],
  };
};

const lineDiscounts: Step = (s) => {
  const adjustments = [...s.adjustments];
  const byLine = new Map<string, LineDiscount[]>();
  for (const d of s.input.lineDiscounts ?? []) byLine.set(d.lineId, [...(byLine.get(d.lineId) ?? []), d]);
  const lines = s.lines.map((line) => {
    let net = line.net;
    for (const d of (byLine.get(line.id) ?? []).sort((a, b) => (a.code < b.code ? -1 : 1))) {
      const off = discountOf(d.value, net);
      if (!off) continue;
      net -= off;
      adjustments.push({
        step: "line_discount",
        source: `discount:${d.code}`,
        lineId: line.id,
        amount: -off,
        reason: d.value.kind === "percent" ? `${d.value.basisPoints / 100}% off this line` : "amount off this line",
      });
    }
    return { ...line, discount: line.subtotal - net, net };
  });
  return { ...s, lines, adjustments };
};

/** Order discounts are allocated to lines in proportion to their net, so every line knows its share. */
const orderDiscounts: Step = (s) => {
  const adjustments = [...s.adjustments];
  let lines = s.lines;
  for (const d of [...(s.input.orderDiscounts ?? [])].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    const base = sum(lines.map((l) => l.net));
    const off = discountOf(d.value, base);
    if (!off) continue;
    const ordered = byId(lines);
    const shares = allocate(
      off,
      ordered.map((l) => l.net),
    );
    const shareOf = new Map(ordered.map((l, i) => [l.id, shares[i]]));
    lines = lines.map((l) => ({ ...l, discount: l.discount + shareOf.get(l.id)!, net: l.net - shareOf.get(l.id)! }));
    for (const l of ordered)
      if (shareOf.get(l.id))
        adjustments.push({
          step: "order_discount",
          source: `discount:${d.code}`,
          lineId: l.id,
          amount: -shareOf.get(l.id)!,
          reason: d.value.kind === "percent" ? `${d.value.basisPoints / 100}% off the order, this line's share` : "amount off the order, this line's share",
        });
  }
  return { ...s, lines, adjustments };
};

export function shippingAmount(rate: ShippingRate, weightGrams: number, merchandise: Minor): Minor | null {
  if (rate.freeOver !== undefined && merchandise >= rate.freeOver) return 0;
  if (rate.kind === "flat") return rate.amount;
  const band = [...rate.bands].sort((a, b) => a.upToGrams - b.upToGrams).find((b) => weightGrams <= b.upToGrams);
  return band ? band.amount : null; // too heavy for this rate
}

const shipping: Step = (s) => {
  const shippable = s.input.lines.filter((l) => l.requiresShipping);
  if (!shippable.length) return { ...s, availableShippingRates: [] };
  const weight = sum(shippable.map((l) => l.weightGrams * l.quantity));
  const shippableIds = new Set(shippable.map((l) => l.id));
  const merchandise = sum(s.lines.filter((l) => shippableIds.has(l.id)).map((l) => l.net));
  const available = (s.input.shippingRates ?? []).flatMap((r) => {
    const amount = shippingAmount(r, weight, merchandise);
    return amount === null ? [] : [{ id: r.id, title: r.title, amount }];
  });
  const chosen = available.find((r) => r.id === s.input.chosenShippingRateId);
  if (!chosen) return { ...s, availableShippingRates: available };
  const adjustments: Adjustment[] = [
    ...s.adjustments,
    {
      step: "shipping",
      source: `shipping:${chosen.id}`,
      amount: chosen.amount,
      reason:
        chosen.amount === 0 && s.input.shippingRates?.find((r) => r.id === chosen.id)?.freeOver !== undefined
          ? `${chosen.title}: free over the threshold`
          : chosen.title,
    },
  ];
  let net = chosen.amount;
  for (const d of [...(s.input.shippingDiscounts ?? [])].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    if (d.maximumShippingPrice !== undefined && chosen.amount > d.maximumShippingPrice) continue;
    const off = discountOf(d.value, net);
    if (!off) continue;
    net -= off;
    adjustments.push({
      step: "shipping",
      source: `discount:${d.code}`,
      amount: -off,
      reason: off === chosen.amount ? "free shipping" : d.value.kind === "percent" ? `${d.value.basisPoints / 100}% off shipping` : "amount off shipping",
    });
  }
  return { ...s, availableShippingRates: available, shipping: net, shippingRate: { id: chosen.id, title: chosen.title }, adjustments };
};

function taxRuleFor(s: State): TaxRule | undefined {
  const dest = s.input.destination;
  if (!dest) return undefined;
  const rules = (s.input.taxRules ?? []).filter((r) => r.country === dest.country);
  return rules.find((r) => r.province && r.province === dest.province) ?? rules.find((r) => !r.province);
}

/** Exclusive prices: tax = net × rate. Inclusive: the tax already inside the net is carved out. */
const tax: Step = (s) => {
  const rule = taxRuleFor(s);
  if (!rule) return s;
  const inclusive = Boolean(s.input.pricesIncludeTax);
  const taxOn = (amount: Minor) =>
    inclusive ? amount - mulDivRound(amount, 10_000, 10_000 + rule.basisPoints) : mulDivRound(amount, rule.basisPoints, 10_000);
  const region = rule.province ? `${rule.country}-${rule.province}` : rule.country;
  const adjustments = [...s.adjustments];
  const taxable = new Set(s.input.lines.filter((l) => l.taxable).map((l) => l.id));
  const lines = s.lines.map((l) => {
    const t = taxable.has(l.id) ? taxOn(l.net) : 0;
    if (t)
      adjustments.push({
        step: "tax",
        source: `tax:${region}`,
        lineId: l.id,
        amount: t,
        reason: `${rule.basisPoints / 100}% ${inclusive ? "included in the price" : "on this line"}`,
      });
    return { ...l, tax: t };
  });
  const shippingTax = rule.shipping ? taxOn(s.shipping) : 0;
  if (shippingTax)
    adjustments.push({
      step: "tax",
      source: `tax:${region}`,
      amount: shippingTax,
      reason: `${rule.basisPoints / 100}% ${inclusive ? "included in shipping" : "on shipping"}`,
    });
  return { ...s, lines, shippingTax, adjustments, taxRule: rule };
};

/** The steps, in order. */
export const TOTALS_PIPELINE: Step[] = [lineSubtotals, lineDiscounts, orderDiscounts, shipping, tax];

export class TotalsInputError extends Error {}

function validate(input: TotalsInput) {
  currencyExponent(input.currency);
  const ids = new Set<string>();
  for (const l of input.lines) {
    if (ids.has(l.id)) throw new TotalsInputError(`line ${l.id} appears twice`);
    ids.add(l.id);
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) throw new TotalsInputError(`line ${l.id}: quantity must be a whole number ≥ 1`);
    if (!Number.isSafeInteger(l.unitPrice) || l.unitPrice < 0) throw new TotalsInputError(`line ${l.id}: unit price must be whole minor units ≥ 0`);
    if (!Number.isSafeInteger(l.weightGrams) || l.weightGrams < 0) throw new TotalsInputError(`line ${l.id}: weight must be whole grams ≥ 0`);
  }
  for (const d of [...(input.lineDiscounts ?? []), ...(input.orderDiscounts ?? []), ...(input.shippingDiscounts ?? [])]) {
    const v = d.value;
    if (
      v.kind === "percent"
        ? !Number.isSafeInteger(v.basisPoints) || v.basisPoints < 0 || v.basisPoints > 10_000
        : !Number.isSafeInteger(v.amount) || v.amount < 0
    )
      throw new TotalsInputError(`discount ${d.code}: ${v.kind === "percent" ? "basis points must be 0–10000" : "amount must be whole minor units ≥ 0"}`);
  }
  for (const r of input.taxRules ?? [])
    if (!Number.isSafeInteger(r.basisPoints) || r.basisPoints < 0 || r.basisPoints > 10_000)
      throw new TotalsInputError(`tax rule ${r.country}: basis points must be 0–10000`);
}

export function calculateTotals(input: TotalsInput): Totals {
  validate(input);
  const initial: State = { input, lines: [], shipping: 0, shippingTax: 0, shippingRate: null, availableShippingRates: [], adjustments: [] };
  const s = TOTALS_PIPELINE.reduce((state, step) => step(state), initial);
  const subtotal = sum(s.lines.map((l) => l.subtotal));
  const discounts = sum(s.lines.map((l) => l.discount));
  const taxTotal = sum(s.lines.map((l) => l.tax)) + s.shippingTax;
  const inclusive = Boolean(input.pricesIncludeTax);
  return {
    currency: input.currency,
    exponent: currencyExponent(input.currency),
    lines: s.lines,
    subtotal,
    discounts,
    shipping: s.shipping,
    shippingRate: s.shippingRate,
    availableShippingRates: s.availableShippingRates,
    tax: taxTotal,
    taxIncluded: inclusive,
    taxLines:
      s.taxRule && taxTotal
        ? [
            {
              title: `${s.taxRule.province ? `${s.taxRule.country}-${s.taxRule.province}` : s.taxRule.country} tax`,
              basisPoints: s.taxRule.basisPoints,
              amount: taxTotal,
            },
          ]
        : [],
    grandTotal: assertMinor(subtotal - discounts + s.shipping + (inclusive ? 0 : taxTotal), "grand total"),
    adjustments: s.adjustments,
  };
}
