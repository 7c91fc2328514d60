import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocate, currencyExponent, formatDecimal, fractionToBasisPoints, mulDivRound, parseDecimal } from "./money";

describe("money", () => {
  it("reads Shopify's percentage fractions into basis points from their decimal text", () => {
    expect([0.1, 0.125, 1, 0.0001, 0.2].map(fractionToBasisPoints)).toEqual([1000, 1250, 10000, 1, 2000]);
    expect(() => fractionToBasisPoints(0.00001)).toThrow(RangeError);
    expect(() => fractionToBasisPoints(1 / 3)).toThrow(RangeError);
  });

  it("knows ISO 4217 exponents", () => {
    expect([currencyExponent("JPY"), currencyExponent("USD"), currencyExponent("KWD")]).toEqual([0, 2, 3]);
    expect(() => currencyExponent("XYZ")).toThrow(/ISO 4217/);
  });

  it("parses Shopify's decimal strings exactly", () => {
    expect(parseDecimal("12.30", "USD")).toBe(1230);
    expect(parseDecimal("0.1", "USD") + parseDecimal("0.2", "USD")).toBe(30); // no 0.30000000000000004
    expect(parseDecimal("1500", "JPY")).toBe(1500);
    expect(parseDecimal("1.234", "KWD")).toBe(1234);
    expect(parseDecimal("19.990", "USD")).toBe(1999);
    expect(() => parseDecimal("1.234", "USD")).toThrow(/more decimals/);
    expect(() => parseDecimal("1e3", "USD")).toThrow(/not a decimal/);
  });

  it("round-trips between decimal strings and minor units", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom("USD", "JPY", "KWD"), (minor, currency) => {
        expect(parseDecimal(formatDecimal(minor, currency), currency)).toBe(minor);
      }),
    );
  });

  it("rounds half away from zero, exactly", () => {
    expect(mulDivRound(1005, 1, 10)).toBe(101);
    expect(mulDivRound(-1005, 1, 10)).toBe(-101);
    expect(mulDivRound(999, 825, 10_000)).toBe(82); // 82.4175
  });

  it("allocates by largest remainder: whole parts that always sum to the total", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 50 }), (total, weights) => {
        const parts = allocate(total, weights);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        expect(parts.every(Number.isSafeInteger)).toBe(true);
        const sum = weights.reduce((s, w) => s + w, 0);
        // Each part is within one minor unit of its exact share.
        if (sum > 0) parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]) / sum)).toBeLessThan(1));
      }),
    );
  });
});
