// Cross-check against a peer: on generated carts, Holdfast's totals equal Medusa's where the
// semantics overlap. Where they differ, and why:
// - Medusa keeps tax in exact decimals; Holdfast rounds each line's tax (and shipping's) to
//   minor units, half away from zero. So each of Holdfast's tax amounts equals Medusa's rounded.
// - Medusa's discount_total includes the tax on the discount; Holdfast's discounts are before
//   tax. Medusa's discount_subtotal is the comparable figure.
// - Medusa does not allocate order discounts (its promotion module does); it is given Holdfast's.
// - Tax-inclusive prices are presented differently (Medusa's subtotals exclude the tax), so the
//   cross-check covers tax-exclusive carts.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decorateCartTotals } from "@medusajs/utils";
import { calculateTotals, type TotalsInput } from "./totals";
import { medusaCartFor } from "./medusa-crosscheck";

const num = (v: unknown) => Number((v as { toString(): string }).toString());
/** Medusa's exact decimal, rounded half away from zero to a minor unit. */
const rounded = (v: unknown) => {
  const x = num(v);
  return Math.sign(x) * Math.round(Math.abs(x) + 1e-9);
};

const cart = fc
  .record({
    lines: fc.uniqueArray(
      fc.record({
        id: fc.uuid(),
        variantId: fc.constant("v"),
        quantity: fc.integer({ min: 1, max: 20 }),
        unitPrice: fc.integer({ min: 1, max: 100_000 }),
        taxable: fc.boolean(),
        requiresShipping: fc.boolean(),
        weightGrams: fc.integer({ min: 0, max: 2000 }),
      }),
      { minLength: 1, maxLength: 25, selector: (l) => l.id },
    ),
    percentOff: fc.integer({ min: 0, max: 5000 }),
    amountOff: fc.integer({ min: 0, max: 50_000 }),
    basisPoints: fc.integer({ min: 0, max: 2500 }),
    shippingTaxed: fc.boolean(),
    flat: fc.integer({ min: 0, max: 3000 }),
  })
  .map((c): TotalsInput => ({
    currency: "USD",
    lines: c.lines,
    lineDiscounts: [{ code: "LINE", lineId: c.lines[0].id, value: { kind: "percent", basisPoints: c.percentOff } }],
    orderDiscounts: [{ code: "ORDER", value: { kind: "amount", amount: c.amountOff } }],
    shippingRates: [{ id: "flat", title: "Flat", kind: "flat", amount: c.flat }],
    chosenShippingRateId: "flat",
    destination: { country: "US" },
    taxRules: [{ country: "US", basisPoints: c.basisPoints, shipping: c.shippingTaxed }],
  }));

describe("cross-check with Medusa's cart totals", () => {
  it("subtotal, discounts, shipping, each line's tax and the grand total agree on generated carts", () => {
    fc.assert(
      fc.property(cart, (input) => {
        const ours = calculateTotals(input);
        const theirs = decorateCartTotals(medusaCartFor(input, ours)) as unknown as Record<string, unknown> & {
          items: { id: string; tax_total: unknown }[];
          shipping_methods: { tax_total: unknown }[];
        };
        expect(num(theirs.item_subtotal)).toBe(ours.subtotal);
        expect(num(theirs.discount_subtotal)).toBe(ours.discounts);
        expect(num(theirs.shipping_subtotal)).toBe(ours.shipping);
        for (const line of ours.lines) expect(rounded(theirs.items.find((i) => i.id === line.id)!.tax_total)).toBe(line.tax);
        const shippingTax = theirs.shipping_methods.length ? rounded(theirs.shipping_methods[0].tax_total) : 0;
        expect(ours.tax).toBe(ours.lines.reduce((s, l) => s + l.tax, 0) + shippingTax);
        expect(ours.grandTotal).toBe(num(theirs.item_subtotal) - num(theirs.discount_subtotal) + num(theirs.shipping_subtotal) + ours.tax);
        // Medusa's unrounded total is within half a minor unit per taxed amount of ours.
        expect(Math.abs(num(theirs.total) - ours.grandTotal)).toBeLessThanOrEqual(0.5 * (ours.lines.length + 1));
      }),
      { numRuns: 200 },
    );
  });
});
