import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { openApiChecker } from "../../test/openapi-check";
import { cartApiDocument } from "./openapi";
import { stockedVariants } from "../../test/fixtures";

// Every answer in this file is checked against the OpenAPI document.
const conformsToDocument = openApiChecker(cartApiDocument as never, "/api/v1");

const OTHER = "other-shop.myshopify.com";
const ORIGIN = "https://shop.example.com";
let t: TestApp;
let key: string;
let otherKey: string;

beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
  await t.install(DEFAULT_SHOP);
  await t.install(OTHER);
  const { createStorefrontKey } = await import("../storefront/keys.server");
  key = (await createStorefrontKey(DEFAULT_SHOP, { name: "web", allowedOrigins: [ORIGIN] })).secret;
  otherKey = (await createStorefrontKey(OTHER, { name: "web", allowedOrigins: [] })).secret;
});
afterAll(async () => t?.close());

async function api(
  method: string,
  path: string,
  body?: unknown,
  o: { key?: string | null; origin?: string; idem?: string; raw?: string; cookie?: string } = {},
) {
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "HydrogenStorefront/1.0" };
  const k = o.key === undefined ? key : o.key;
  if (k) headers["X-Holdfast-Storefront-Key"] = k;
  if (o.origin) headers.Origin = o.origin;
  if (o.idem) headers["Idempotency-Key"] = o.idem;
  if (o.cookie) headers.Cookie = o.cookie;
  const res = await fetch(`${t.url}${path}`, { method, headers, body: o.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  conformsToDocument(path, method, res.status, parsed);
  return { status: res.status, headers: res.headers, body: parsed };
}

const stocked = (i: number) => {
  const v = stockedVariants(t.store.shop())[i];
  return { variantId: v.gid, cents: v.cents };
};

describe("Cart API", () => {
  it("creates a cart, then finds it again by its token", async () => {
    const created = await api("POST", "/api/v1/carts", {}, { origin: ORIGIN });
    expect(created.status).toBe(201);
    expect(created.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const token = created.headers.get("x-holdfast-cart-token")!;
    expect(created.body).toMatchObject({ cart: { id: token, currency: "USD" }, lines: [], totals: { subtotal: 0, grandTotal: 0 } });
    const again = await api("POST", "/api/v1/carts", { cartToken: token });
    expect(again.status).toBe(200);
    expect(again.body.cart.id).toBe(token);
  });

  it("a guest's token also comes back as an HttpOnly cookie, which finds the cart again", async () => {
    const created = await api("POST", "/api/v1/carts", {}, { origin: ORIGIN });
    const cookie = created.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^holdfast_cart_holdfast-dev=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=None/);
    expect(cookie).toMatch(/Path=\/api\/v1\/carts/);
    expect(created.headers.get("access-control-allow-credentials")).toBe("true");
    const again = await api("POST", "/api/v1/carts", {}, { cookie: cookie.split(";")[0] });
    expect(again.status).toBe(200);
    expect(again.body.cart.id).toBe(created.body.cart.id);
    // Another shop's cookie name: not read, so a new cart.
    const other = await api("POST", "/api/v1/carts", {}, { key: otherKey, cookie: cookie.split(";")[0] });
    expect(other.status).toBe(201);
  });

  it("adds a line once per Idempotency-Key, replaying the answer; a changed request under the key is refused", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const { variantId, cents } = stocked(0);
    const first = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId, quantity: 2 }, { idem: "add-1" });
    expect(first.status).toBe(201);
    expect(first.body.totals).toMatchObject({ subtotal: 2 * cents, grandTotal: 2 * cents });
    const replay = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId, quantity: 2 }, { idem: "add-1" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    const changed = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId, quantity: 3 }, { idem: "add-1" });
    expect(changed).toBeApiError(422, "idempotency_key_reused");
    const lines = (await api("GET", `/api/v1/carts/${cart}/lines`)).body.lines;
    expect(lines.map((l: { quantity: number }) => l.quantity)).toEqual([2]);
  });

  it("updates and removes lines, answering fresh totals", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const a = stocked(1);
    const b = stocked(2);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: a.variantId, quantity: 1 });
    const added = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: b.variantId, quantity: 1 });
    const [lineA, lineB] = added.body.lines;
    const patched = await api("PATCH", `/api/v1/carts/${cart}/lines/${lineA.id}`, { quantity: 3 });
    expect(patched.body.totals.subtotal).toBe(3 * a.cents + b.cents);
    const removed = await api("DELETE", `/api/v1/carts/${cart}/lines`, { lineIds: [lineA.id, lineB.id] });
    expect(removed.body).toMatchObject({ lines: [], totals: { subtotal: 0 } });
  });

  it.each([
    ["a zero quantity", { quantity: 0 }, 400, "invalid_line"],
    ["a quantity as text", { quantity: "2" }, 400, "invalid_line"],
    ["an absurd quantity", { quantity: 1e9 }, 400, "invalid_line"],
    ["an unknown variant", { variantId: "gid://shopify/ProductVariant/1", quantity: 1 }, 422, "unknown_variant"],
  ])("refuses %s with a code and a message, changing nothing", async (_name, input, status, code) => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const res = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: stocked(0).variantId, ...input });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    expect((await api("GET", `/api/v1/carts/${cart}/lines`)).body.lines).toEqual([]);
  });

  it("refuses malformed and oversized bodies", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    expect((await api("POST", `/api/v1/carts/${cart}/lines`, undefined, { raw: "{" })).body.error.code).toBe("invalid_json");
    expect((await api("POST", `/api/v1/carts/${cart}/lines`, undefined, { raw: JSON.stringify({ pad: "x".repeat(70_000) }) })).status).toBe(413);
  });

  it("sets the contact and the addresses; billing is the shipping address unless given", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const contact = await api("PUT", `/api/v1/carts/${cart}/contact`, { email: "Ann@Example.com", phone: "+14155550123" });
    expect(contact.body.cart).toMatchObject({ email: "ann@example.com", phone: "+14155550123" });
    const shipping = { firstName: "Ann", lastName: "Lee", address1: "1 Harbor Way", city: "Boston", province: "MA", zip: "02110", country: "us" };
    const res = await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: shipping });
    expect(res.status).toBe(200);
    expect(res.body.cart.shippingAddress).toMatchObject({ ...shipping, country: "US" });
    expect(res.body.cart.billingAddress).toEqual(res.body.cart.shippingAddress);
    const billing = { ...shipping, address1: "2 Dock St" };
    const both = await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: shipping, billingAddress: billing });
    expect(both.body.cart.billingAddress.address1).toBe("2 Dock St");
  });

  it.each([
    ["contact", { email: "not-an-email" }, "invalid_contact"],
    ["contact", { phone: "555-0123" }, "invalid_contact"],
    ["contact", {}, "invalid_contact"],
    ["contact", { email: "a@b.co", admin: true }, "invalid_contact"],
    ["addresses", { shippingAddress: { lastName: "Lee", address1: "1 Way", city: "X", country: "ZZ" } }, "invalid_address"],
    ["addresses", { shippingAddress: { lastName: "Lee", city: "X", country: "US" } }, "invalid_address"],
    ["addresses", {}, "invalid_address"],
  ])("refuses a malformed %s %j, changing nothing", async (what, input, code) => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const res = await api("PUT", `/api/v1/carts/${cart}/${what}`, input);
    expect(res).toBeApiError(400, code);
    expect((await api("GET", `/api/v1/carts/${cart}`)).body.cart).toMatchObject({ email: null, phone: null, shippingAddress: null });
  });

  it("serves its OpenAPI 3.1 document, which names every Cart and Checkout API route", async () => {
    const res = await fetch(`${t.url}/api/v1/openapi`);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    const { readdirSync } = await import("node:fs");
    const routes = readdirSync("app/routes").filter((f) => f.startsWith("api.v1.carts") || f.startsWith("api.v1.checkouts"));
    const documented = Object.keys(doc.paths).map((p: string) => `api.v1${p.replace(/\//g, ".").replace(/\{(\w+)\}/g, "$$$1")}.tsx`);
    expect(routes.sort()).toEqual(documented.sort());
    // The checker itself refuses an undocumented answer.
    expect(() => conformsToDocument("/api/v1/carts", "POST", 418, {})).toThrow(/does not list/);
    expect(() => conformsToDocument("/api/v1/carts", "POST", 201, { cart: {} })).toThrow();
  });

  it("lists the shipping rates that apply, lets the shopper choose one, and totals it", async () => {
    const { createShippingRate } = await import("./shipping.server");
    const flat = await createShippingRate(DEFAULT_SHOP, { kind: "flat", title: "Standard", amount: 599, freeOver: null });
    const light = await createShippingRate(DEFAULT_SHOP, { kind: "weight", title: "Light parcel", bands: [{ upToGrams: 1, amount: 199 }], freeOver: null });
    await createShippingRate(OTHER, { kind: "flat", title: "Not ours", amount: 1, freeOver: null });
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const { variantId, cents } = stocked(0);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId, quantity: 1 });
    const listed = await api("GET", `/api/v1/carts/${cart}/shipping-rates`);
    // The light-parcel rate only carries 1 g: it does not apply to this cart.
    expect(listed.body).toEqual({ rates: [{ id: flat.id, title: "Standard", amount: 599 }], chosen: null });
    const refused = await api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: light.id });
    expect(refused).toBeApiError(422, "shipping_rate_unavailable");
    const chosen = await api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: flat.id });
    expect(chosen.body.totals).toMatchObject({ shipping: 599, grandTotal: cents + 599, shippingRate: { id: flat.id, title: "Standard" } });
    expect((await api("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.chosen).toBe(flat.id);
  });

  it("taxes the cart by its shipping address, with the merchant's rules", async () => {
    const { setTaxRule } = await import("./tax.server");
    await setTaxRule(DEFAULT_SHOP, { country: "US", province: "NY", basisPoints: 888, shipping: false });
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const { variantId, cents } = stocked(3);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId, quantity: 1 });
    expect((await api("GET", `/api/v1/carts/${cart}`)).body.totals.tax).toBe(0); // no destination yet
    const address = { lastName: "Lee", address1: "1 Main St", city: "New York", province: "NY", country: "US" };
    const res = await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: address });
    const tax = Math.round((cents * 888) / 10_000);
    expect(res.body.totals).toMatchObject({ tax, grandTotal: cents + tax });
    expect(res.body.totals.adjustments).toContainEqual(expect.objectContaining({ step: "tax", source: "tax:US-NY" }));
  });

  it("applies and removes discount codes through the API, with refusals as documented", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const { variantId } = stocked(2);
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId, quantity: 2 });
    const applied = await api("POST", `/api/v1/carts/${cart}/discount-codes`, { code: "welcome10" }, { idem: "code-1" });
    expect(applied.status).toBe(200);
    expect(applied.body.totals.discountCodes).toEqual([{ code: "WELCOME10", title: "10% off your order", applied: true }]);
    expect(applied.body.totals.discounts).toBeGreaterThan(0);
    const unknown = await api("POST", `/api/v1/carts/${cart}/discount-codes`, { code: "NOT-A-CODE" });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: "discount_code_unknown" } } });
    expect((await api("POST", `/api/v1/carts/${cart}/discount-codes`, { code: 5 })).status).toBe(400);
    const removed = await api("DELETE", `/api/v1/carts/${cart}/discount-codes/WELCOME10`);
    expect(removed.status).toBe(200);
    expect(removed.body.totals.discounts).toBe(0);
    expect((await api("DELETE", `/api/v1/carts/${cart}/discount-codes/WELCOME10`)).body.error.code).toBe("discount_code_not_applied");
  });

  it("keeps shops apart and checks keys and origins", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    expect((await api("GET", `/api/v1/carts/${cart}`, undefined, { key: otherKey })).status).toBe(404);
    expect((await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: stocked(0).variantId, quantity: 1 }, { key: otherKey })).status).toBe(404);
    expect((await api("GET", `/api/v1/carts/${cart}`, undefined, { key: null })).status).toBe(401);
    expect((await api("GET", `/api/v1/carts/${cart}`, undefined, { origin: "https://evil.example.com" })).status).toBe(403);
    const preflight = await fetch(`${t.url}/api/v1/carts`, { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");
  });
});
