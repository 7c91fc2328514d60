import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.install();
});
afterAll(async () => t?.close());

const page = (fields: Record<string, string>) => t.adminFetch("/app/shipping", { method: "POST", body: new URLSearchParams(fields) });

describe("shipping rates in the admin", () => {
  it("adds flat and weight rates in the shop's currency, exactly", async () => {
    expect((await page({ intent: "create", kind: "flat", title: "Standard", amount: "5.99", freeOver: "50" })).status).toBe(201);
    expect((await page({ intent: "create", kind: "weight", title: "By weight", bands: "5000: 12.50\n1000: 6" })).status).toBe(201);
    const { rates, currency } = await (await t.adminFetch("/app/shipping")).json();
    expect(currency).toBe("USD");
    expect(rates).toEqual([
      expect.objectContaining({ title: "Standard", kind: "flat", price: "5.99", freeOver: "50.00" }),
      expect.objectContaining({ title: "By weight", kind: "weight", price: "up to 1000 g: 6.00, up to 5000 g: 12.50", freeOver: null }),
    ]);
    const stored = await t.db.shippingRate.findMany({ orderBy: { createdAt: "asc" } });
    expect(stored.map((r) => [r.amount, r.freeOver])).toEqual([
      [599, 5000],
      [null, null],
    ]);
  });

  it.each([
    [{ kind: "flat", title: "Bad", amount: "5.999" }, "amount"],
    [{ kind: "flat", title: "Bad", amount: "-1" }, "amount"],
    [{ kind: "flat", title: "", amount: "1" }, "title"],
    [{ kind: "weight", title: "Bad", bands: "heavy: 3" }, "bands"],
    [{ kind: "flat", title: "Bad", amount: "1", freeOver: "lots" }, "freeOver"],
  ])("refuses %j inline and saves nothing", async (fields, field) => {
    const before = await t.db.shippingRate.count();
    const res = await page({ intent: "create", ...(fields as Record<string, string>) });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[field]).toEqual(expect.any(String));
    expect(await t.db.shippingRate.count()).toBe(before);
  });

  it("saves tax rates by destination as basis points, refusing bad ones", async () => {
    expect((await page({ intent: "tax", country: "us", province: "ny", percent: "8.88", taxShipping: "on" })).status).toBe(200);
    expect((await page({ intent: "tax", country: "US", percent: "5" })).status).toBe(200);
    const { taxes } = await (await t.adminFetch("/app/shipping")).json();
    expect(taxes).toEqual([
      { country: "US", basisPoints: 500, shipping: false, percent: "5.00" },
      { country: "US", province: "NY", basisPoints: 888, shipping: true, percent: "8.88" },
    ]);
    for (const fields of [
      { country: "USA", percent: "5" },
      { country: "US", percent: "8.875" },
      { country: "US", percent: "150" },
      { country: "US", percent: "five" },
    ]) {
      const res = await page({ intent: "tax", ...fields });
      expect(res.status).toBe(422);
    }
    expect(await t.db.taxRule.count()).toBe(2);
  });
});
