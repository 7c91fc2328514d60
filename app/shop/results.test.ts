// The words Home puts on the numbers: the TTL advice in each direction, and what a refusal counts.
import { describe, expect, it } from "vitest";
import { ttlAdvice } from "./results";
import { refusalFigures } from "../holds/refusals.server";

describe("the TTL advice", () => {
  it("waits for enough orders", () => {
    expect(ttlAdvice({ ttlMinutes: 15, buckets: [5, 5, 0, 0, 0], expired: 40 }).tone).toBe("info");
  });
  it("advises a longer hold when one order in ten comes in the last quarter (or after an extension)", () => {
    expect(ttlAdvice({ ttlMinutes: 15, buckets: [10, 5, 3, 1, 1], expired: 0 })).toMatchObject({
      tone: "warning",
      text: expect.stringContaining("10% of orders"),
    });
    // At the longest hold there is nothing longer to advise.
    expect(ttlAdvice({ ttlMinutes: 20, buckets: [10, 5, 3, 1, 1], expired: 0 }).tone).toBe("success");
  });
  it("advises a shorter hold when orders come early and many holds expire unused", () => {
    expect(ttlAdvice({ ttlMinutes: 20, buckets: [19, 1, 0, 0, 0], expired: 10 })).toMatchObject({
      tone: "warning",
      text: expect.stringContaining("within 5 minutes"),
    });
    expect(ttlAdvice({ ttlMinutes: 20, buckets: [19, 1, 0, 0, 0], expired: 2 }).tone).toBe("success");
    expect(ttlAdvice({ ttlMinutes: 10, buckets: [19, 1, 0, 0, 0], expired: 10 }).tone).toBe("success");
  });
});

describe("a refusal's figures", () => {
  const key = (id: string) => `${id}@L`;
  it("counts as contested only the missing units Shopify still showed (held for others)", () => {
    const stock = new Map([
      [key("a"), { units: 3, held: 2 }],
      [key("b"), { units: 0, held: 0 }],
      [key("c"), { units: 10, held: 4 }],
    ]);
    const lines = [
      { inventoryItemId: "a", locationId: "L", quantity: 5 },
      { inventoryItemId: "b", locationId: "L", quantity: 1 },
      { inventoryItemId: "c", locationId: "L", quantity: 2 },
    ];
    // a: 1 free, 4 short, Shopify showed 3 of the 5 → 2 contested; b: sold out; c: fits.
    expect(refusalFigures(lines, stock)).toEqual({ units: 8, shortUnits: 5, contestedUnits: 2, contestedItems: ["a"] });
    expect(refusalFigures([{ inventoryItemId: "x", locationId: "L", quantity: 2 }], stock)).toMatchObject({ shortUnits: 2, contestedUnits: 0 });
  });
});
