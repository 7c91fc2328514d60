import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { calculateTotals, TotalsInputError, type TotalsInput } from "./totals";

const base: TotalsInput = {
  currency: "USD",
  lines: [
    { id: "a", variantId: "v1", quantity: 2, unitPrice: 1999, taxable: true, requiresShipping: true, weightGrams: 500 },
    { id: "b", variantId: "v2", quantity: 1, unitPrice: 4500, taxable: true, requiresShipping: true, weightGrams: 1200 },
    { id: "c", variantId: "v3", quantity: 3, unitPrice: 350, taxable: false, requiresShipping: false, weightGrams: 0 },
  ],
  lineDiscounts: [{ code: "BSALE", lineId: "b", value: { kind: "percent", basisPoints: 1000 } }],
  orderDiscounts: [{ code: "WELCOME5", value: { kind: "amount", amount: 500 } }],
  shippingRates: [
    {
      id: "std",
      title: "Standard",
      kind: "weight",
      bands: [
        { upToGrams: 1000, amount: 599 },
        { upToGrams: 5000, amount: 999 },
      ],
      freeOver: 20000,
    },
    { id: "exp", title: "Express", kind: "flat", amount: 1999 },
  ],
  chosenShippingRateId: "std",
  destination: { country: "US", province: "NY" },
  taxRules: [
    { country: "US", basisPoints: 500, shipping: false },
    { country: "US", province: "NY", basisPoints: 888, shipping: true },
  ],
};

describe("totals pipeline", () => {
  it("computes a cart step by step, and explains every adjustment", () => {
    const t = calculateTotals(base);
    // lines: a 3998, b 4500 − 450 = 4050, c 1050. The order's 500 off is shared by net, 3998 : 4050 : 1050
    // of 9098 = 219.72 : 222.58 : 57.70 → 219 + 222 + 57 = 498, and the two left go to the largest
    // remainders (a .72, c .70): 220, 222, 58.
    expect(t.subtotal).toBe(3998 + 4500 + 1050);
    expect(t.lines.map((l) => [l.id, l.discount, l.net])).toEqual([
      ["a", 220, 3778],
      ["b", 672, 3828],
      ["c", 58, 992],
    ]);
    expect(t.discounts).toBe(450 + 500);
    expect(t.shipping).toBe(999); // 2 × 500 g + 1200 g = 2.2 kg
    expect(t.availableShippingRates).toEqual([
      { id: "std", title: "Standard", amount: 999 },
      { id: "exp", title: "Express", amount: 1999 },
    ]);
    // NY 8.88% on taxable lines and on shipping: 3778 → 335.49 → 335, 3828 → 339.93 → 340, shipping 999 → 88.71 → 89
    expect(t.lines.map((l) => l.tax)).toEqual([335, 340, 0]);
    expect(t.tax).toBe(335 + 340 + 89);
    expect(t.grandTotal).toBe(t.subtotal - t.discounts + t.shipping + t.tax);
    expect(t.adjustments.filter((a) => a.source === "discount:WELCOME5").map((a) => a.amount)).toEqual([-220, -222, -58]);
    expect(t.adjustments.find((a) => a.step === "shipping")).toMatchObject({ source: "shipping:std", amount: 999, reason: "Standard" });
  });

  it("carves tax out of tax-inclusive prices", () => {
    const t = calculateTotals({
      ...base,
      currency: "EUR",
      pricesIncludeTax: true,
      destination: { country: "DE" },
      taxRules: [{ country: "DE", basisPoints: 1900, shipping: true }],
      lineDiscounts: [],
      orderDiscounts: [],
    });
    expect(t.taxIncluded).toBe(true);
    expect(t.lines[0].tax).toBe(638); // 3998 − 3998 / 1.19 = 638.3
    expect(t.grandTotal).toBe(t.subtotal + t.shipping);
  });

  it("ships free over the threshold, and works in currencies without or with three decimals", () => {
    const big = { ...base, lines: [{ ...base.lines[1], unitPrice: 6000, quantity: 4 }], lineDiscounts: [], orderDiscounts: [] }; // 240.00, 4.8 kg
    expect(calculateTotals(big).shipping).toBe(0);
    expect(calculateTotals(big).adjustments.find((a) => a.step === "shipping")?.reason).toBe("Standard: free over the threshold");
    expect(calculateTotals({ ...base, currency: "JPY" }).exponent).toBe(0);
    expect(calculateTotals({ ...base, currency: "KWD" }).exponent).toBe(3);
  });

  it("refuses bad input with a reason", () => {
    expect(() => calculateTotals({ ...base, lines: [{ ...base.lines[0], quantity: 0 }] })).toThrow(TotalsInputError);
    expect(() => calculateTotals({ ...base, lines: [{ ...base.lines[0], unitPrice: 19.99 }] })).toThrow(/whole minor units/);
    expect(() => calculateTotals({ ...base, orderDiscounts: [{ code: "X", value: { kind: "percent", basisPoints: 12000 } }] })).toThrow(/basis points/);
    expect(() => calculateTotals({ ...base, currency: "ABC" })).toThrow(/ISO 4217/);
  });

  it("a shipping discount applies only when the chosen rate is within its maximum price", () => {
    const withRate = { ...base, shippingRates: [{ id: "std", title: "Standard", kind: "flat" as const, amount: 900 }], chosenShippingRateId: "std" };
    const free = { code: "FREESHIP", value: { kind: "percent" as const, basisPoints: 10_000 } };
    expect(calculateTotals({ ...withRate, shippingDiscounts: [free] }).shipping).toBe(0);
    expect(calculateTotals({ ...withRate, shippingDiscounts: [{ ...free, maximumShippingPrice: 800 }] }).shipping).toBe(900);
    expect(calculateTotals({ ...withRate, shippingDiscounts: [{ code: "HALF", value: { kind: "amount", amount: 450 } }] }).shipping).toBe(450);
  });
});

const line = fc.record({
  id: fc.uuid(),
  variantId: fc.constant("v"),
  quantity: fc.integer({ min: 1, max: 50 }),
  unitPrice: fc.integer({ min: 0, max: 500_000 }),
  taxable: fc.boolean(),
  requiresShipping: fc.boolean(),
  weightGrams: fc.integer({ min: 0, max: 5_000 }),
});
const discount = fc.oneof(
  fc.record({ kind: fc.constant("percent" as const), basisPoints: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ kind: fc.constant("amount" as const), amount: fc.integer({ min: 0, max: 2_000_000 }) }),
);
const cart = fc
  .record({
    lines: fc.uniqueArray(line, { minLength: 1, maxLength: 20, selector: (l) => l.id }),
    orderDiscounts: fc.array(fc.record({ code: fc.string({ minLength: 1, maxLength: 6 }), value: discount }), { maxLength: 3 }),
    lineDiscountPicks: fc.array(fc.tuple(fc.nat(), discount), { maxLength: 5 }),
    pricesIncludeTax: fc.boolean(),
    basisPoints: fc.integer({ min: 0, max: 3_000 }),
    shippingTaxed: fc.boolean(),
    flat: fc.integer({ min: 0, max: 5_000 }),
    shippingDiscounts: fc.array(
      fc.record({
        code: fc.string({ minLength: 1, maxLength: 6 }),
        value: discount,
        maximumShippingPrice: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
      }),
      { maxLength: 2 },
    ),
  })
  .map((c): TotalsInput => ({
    currency: "USD",
    lines: c.lines,
    orderDiscounts: c.orderDiscounts,
    lineDiscounts: c.lineDiscountPicks.map(([i, value], k) => ({ code: `L${k}`, lineId: c.lines[i % c.lines.length].id, value })),
    shippingDiscounts: c.shippingDiscounts.map((d) => (d.maximumShippingPrice === undefined ? { code: d.code, value: d.value } : d)),
    shippingRates: [{ id: "flat", title: "Flat", kind: "flat", amount: c.flat }],
    chosenShippingRateId: "flat",
    destination: { country: "US" },
    taxRules: [{ country: "US", basisPoints: c.basisPoints, shipping: c.shippingTaxed }],
    pricesIncludeTax: c.pricesIncludeTax,
  }));

describe("totals invariants (property tests)", () => {
  it("grand total = subtotal − discounts + shipping (+ tax when prices exclude it), and is never negative", () => {
    fc.assert(
      fc.property(cart, (input) => {
        const t = calculateTotals(input);
        // Shipping is what the shopper pays for it: the rate less any shipping discount, never below zero.
        const shippingSteps = t.adjustments.filter((a) => a.step === "shipping").reduce((s, a) => s + a.amount, 0);
        expect(t.shipping).toBe(shippingSteps);
        expect(t.shipping).toBeGreaterThanOrEqual(0);
        expect(t.grandTotal).toBe(t.subtotal - t.discounts + t.shipping + (input.pricesIncludeTax ? 0 : t.tax));
        expect(t.grandTotal).toBeGreaterThanOrEqual(0);
        expect(t.lines.every((l) => l.net >= 0 && l.discount >= 0 && l.tax >= 0)).toBe(true);
        expect([t.subtotal, t.discounts, t.shipping, t.tax, t.grandTotal].every(Number.isSafeInteger)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("each order discount's allocations sum exactly to the discount", () => {
    fc.assert(
      fc.property(cart, (input) => {
        const t = calculateTotals(input);
        const lineLevel = t.adjustments.filter((a) => a.step === "line_discount").reduce((s, a) => s - a.amount, 0);
        const orderLevel = t.adjustments.filter((a) => a.step === "order_discount").reduce((s, a) => s - a.amount, 0);
        expect(lineLevel + orderLevel).toBe(t.discounts);
        expect(t.lines.reduce((s, l) => s + l.discount, 0)).toBe(t.discounts);
      }),
      { numRuns: 300 },
    );
  });

  it("recomputing is idempotent and the result does not depend on line order", () => {
    fc.assert(
      fc.property(cart, fc.integer(), (input, seed) => {
        const once = calculateTotals(input);
        expect(calculateTotals(input)).toEqual(once);
        const shuffled = { ...input, lines: [...input.lines].sort((a, b) => ((a.id.charCodeAt(0) * seed) % 7) - ((b.id.charCodeAt(0) * seed) % 7)) };
        const other = calculateTotals(shuffled);
        const norm = (t: typeof once) => ({
          ...t,
          lines: [...t.lines].sort((a, b) => (a.id < b.id ? -1 : 1)),
          adjustments: [...t.adjustments].map((a) => JSON.stringify(a)).sort(),
        });
        expect(norm(other)).toEqual(norm(once));
      }),
      { numRuns: 200 },
    );
  });
});
