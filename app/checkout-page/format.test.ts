import { describe, expect, it } from "vitest";
import { clock, explainChange, money, spokenDuration, type TotalsFacts } from "./format";
import { contrast, faceOf } from "./shop-face";
import { taxLabel } from "./view";

const base: TotalsFacts = { grandTotal: 5000, currency: "USD", shipping: null, tax: [], discounts: 0, priceChanges: [] };

describe("what the shopper reads", () => {
  it("money from minor units, exactly, in the shop's currency (JPY has no decimals, KWD three)", () => {
    expect(money(123450, "USD")).toBe("$1,234.50");
    expect(money(1235, "JPY")).toBe("¥1,235");
    expect(money(1234, "KWD").replace(/\s/g, " ")).toBe("KWD 1.234"); // ICU puts a no-break space there
    expect(money(0, "EUR")).toBe("€0.00");
  });

  it("the hold's clock and its spoken form", () => {
    expect(clock(899)).toBe("14:59");
    expect(clock(59.9)).toBe("0:59");
    expect(clock(-3)).toBe("0:00");
    expect(spokenDuration(120)).toBe("2 minutes");
    expect(spokenDuration(61)).toBe("1 minute");
    expect(spokenDuration(45)).toBe("45 seconds");
  });

  it("tax lines by the place's name: 'Tax for Ontario (13%)'", () => {
    expect(taxLabel("CA-ON tax", 1300)).toBe("Tax for Ontario (13%)");
    expect(taxLabel("US-NY tax", 888)).toBe("Tax for New York (8.88%)");
    expect(taxLabel("DE tax", 1900)).toBe("Tax for Germany (19%)");
  });

  it("why a total changed, in the shopper's words; nothing when it did not", () => {
    expect(explainChange(base, { ...base })).toBeNull();
    const withTax = { ...base, grandTotal: 5650, tax: [{ title: "Tax for Ontario (13%)", amount: 650 }] };
    expect(explainChange(base, withTax)).toBe("Total now $56.50: tax: Tax for Ontario (13%) $6.50.");
    const shipped = { ...withTax, grandTotal: 6350, shipping: { title: "Standard", amount: 700 } };
    expect(explainChange(withTax, shipped)).toBe("Total now $63.50: shipping: Standard $7.00.");
    const repriced = { ...shipped, grandTotal: 6850, priceChanges: [{ title: "Anchor", was: "20.00", now: "25.00" }] };
    expect(explainChange(shipped, repriced)).toBe("Total now $68.50: the price of Anchor changed from $20.00 to $25.00.");
    const discounted = { ...base, grandTotal: 4500, discounts: 500 };
    expect(explainChange(base, discounted)).toBe("Total now $45.00: discounts: −$5.00.");
  });
});

describe("the shop's face", () => {
  it("uses the brand's colours only when they are readable together", () => {
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 0);
    expect(contrast("#1f3a5f", "#ffffff")).toBeGreaterThan(4.5);
    const face = (background: string, foreground: string) =>
      faceOf({
        shop: { name: "Shop", brand: { logo: null, colors: { primary: [{ background, foreground }] } }, refundPolicy: null },
        localization: { country: { isoCode: "CA" } },
      });
    expect(face("#1f3a5f", "#ffffff").colors).toEqual({ background: "#1f3a5f", foreground: "#ffffff" });
    expect(face("#ffff00", "#ffffff").colors).toBeNull();
    expect(face("red", "#ffffff").colors).toBeNull();
    expect(face("#1f3a5f", "#ffffff").country).toBe("CA");
  });
});
