// Fuzzing the Cart API: arbitrary bodies never get a 5xx, and a refused write changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

let t: TestApp;
let key: string;
let cartId: string;
let lineId: string;
const headers = () => ({ "Content-Type": "application/json", "User-Agent": "HydrogenStorefront/1.0", "X-Holdfast-Storefront-Key": key });

beforeAll(async () => {
  t = await startTestApp();
  await t.install();
  const { createStorefrontKey } = await import("../storefront/keys.server");
  key = (await createStorefrontKey(DEFAULT_SHOP, { name: "fuzz", allowedOrigins: [] })).secret;
  cartId = (await (await fetch(`${t.url}/api/v1/carts`, { method: "POST", headers: headers(), body: "{}" })).json()).cart.id;
  const { catalog } = t.store.shop();
  const v = catalog.variants.find((x) => catalog.levels.some((l) => l.inventoryItemId === x.inventoryItemId && l.quantities.available > 0))!;
  const added = await (await fetch(`${t.url}/api/v1/carts/${cartId}/lines`, { method: "POST", headers: headers(), body: JSON.stringify({ variantId: `gid://shopify/ProductVariant/${v.id}`, quantity: 1 }) })).json();
  lineId = added.lines[0].id;
});
afterAll(async () => t?.close());

const snapshot = async () => {
  const res = await fetch(`${t.url}/api/v1/carts/${cartId}`, { headers: headers() });
  const { cart, lines } = await res.json();
  return JSON.stringify({ ...cart, lastActivityAt: undefined, lines });
};

// Bodies that look almost right, and bodies that are anything at all.
const nearly = fc.record(
  {
    variantId: fc.oneof(fc.constant("gid://shopify/ProductVariant/40001"), fc.string(), fc.integer(), fc.constant(null)),
    quantity: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.string(), fc.constant(null), fc.constant(1e308)),
    lineIds: fc.oneof(fc.array(fc.string()), fc.string(), fc.constant(null)),
    email: fc.oneof(fc.emailAddress(), fc.string(), fc.integer()),
    phone: fc.oneof(fc.constant("+14155550123"), fc.string()),
    shippingAddress: fc.oneof(fc.object(), fc.constant(null), fc.record({ lastName: fc.string(), address1: fc.string(), city: fc.string(), country: fc.string({ maxLength: 3 }) })),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(nearly.map((b) => JSON.stringify(b)), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string());
const endpoint = fc.constantFrom(
  ["POST", () => `/api/v1/carts/${cartId}/lines`],
  ["DELETE", () => `/api/v1/carts/${cartId}/lines`],
  ["PATCH", () => `/api/v1/carts/${cartId}/lines/${lineId}`],
  ["PUT", () => `/api/v1/carts/${cartId}/contact`],
  ["PUT", () => `/api/v1/carts/${cartId}/addresses`],
  ["PUT", () => `/api/v1/carts/${cartId}/shipping-rates`],
  ["POST", () => `/api/v1/carts/${cartId}/discount-codes`],
  ["POST", () => `/api/v1/carts`],
) as fc.Arbitrary<[string, () => string]>;

describe("Cart API under fuzzing", () => {
  it("answers every request below 500, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(endpoint, body, async ([method, path], raw) => {
        const before = await snapshot();
        const res = await fetch(`${t.url}${path()}`, { method, headers: headers(), body: raw });
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400) {
          expect(JSON.parse(text).error.code).toEqual(expect.any(String));
          expect(await snapshot()).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
  });
});
