import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { openApiChecker } from "../../test/openapi-check";
import { storefrontClient } from "../../test/storefront-client";
import { cartApiDocument } from "./openapi";

const conformsToDocument = openApiChecker(cartApiDocument as never, "/api/v1");
let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.install(DEFAULT_SHOP);
  const { createStorefrontKey } = await import("../storefront/keys.server");
  key = (await createStorefrontKey(DEFAULT_SHOP, { name: "web", allowedOrigins: [] })).secret;
});
afterAll(async () => t?.close());

const api = storefrontClient(
  () => t.url,
  () => key,
  conformsToDocument,
);

/** Signs a customer in as a storefront does: Shopify's customerAccessTokenCreate. */
async function signIn(email: string, password: string): Promise<string> {
  const { token } = t.store.state.issueAccessToken(DEFAULT_SHOP, "unauthenticated_read_product_listings,unauthenticated_write_customers", {
    expiring: false,
  }).token;
  const res = await fetch(`${t.store.url}/shops/${DEFAULT_SHOP}/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Shopify-Storefront-Private-Token": token },
    body: JSON.stringify({
      query: `mutation { customerAccessTokenCreate(input: { email: "${email}", password: "${password}" }) { customerAccessToken { accessToken } customerUserErrors { code } } }`,
    }),
  });
  const body = (await res.json()) as { data: { customerAccessTokenCreate: { customerAccessToken: { accessToken: string } | null } } };
  return body.data.customerAccessTokenCreate.customerAccessToken!.accessToken;
}

const variants = () => {
  const { catalog } = t.store.shop();
  return catalog.variants
    .filter((v) => catalog.levels.some((l) => l.inventoryItemId === v.inventoryItemId && l.quantities.available > 5))
    .map((v) => `gid://shopify/ProductVariant/${v.id}`);
};
const customer = (token: string) => ({ "X-Holdfast-Customer-Token": token });

describe("carts of signed-in customers", () => {
  it("a guest cart becomes the customer's at sign-in and then answers only to the customer", async () => {
    const ann = await signIn("ann@example.com", "harbor-lights");
    const [a] = variants();
    const guest = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    await api("POST", `/api/v1/carts/${guest}/lines`, { variantId: a, quantity: 1 });
    const signedIn = await api("POST", "/api/v1/carts", { cartToken: guest }, customer(ann));
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.cart.id).toBe(guest);
    expect(signedIn.body.mergedFrom).toBeUndefined();

    // The token alone no longer reaches the customer's cart: a new guest cart instead.
    const anonymous = await api("POST", "/api/v1/carts", { cartToken: guest });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body.cart.id).not.toBe(guest);
    expect((await api("GET", `/api/v1/carts/${guest}`)).status).toBe(404);
    expect((await api("POST", `/api/v1/carts/${guest}/lines`, { variantId: a, quantity: 1 })).status).toBe(404);
    expect((await api("GET", `/api/v1/carts/${guest}`, undefined, customer(ann))).status).toBe(200);
    // Another customer cannot see it either.
    const ben = await signIn("ben@example.com", "salt-and-rope");
    expect((await api("GET", `/api/v1/carts/${guest}`, undefined, customer(ben))).status).toBe(404);
    // A token Shopify does not know is refused.
    const forged = await api("POST", "/api/v1/carts", {}, customer("not-a-real-token"));
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "customer_token_invalid" } } });
  });

  it("on another device the customer finds the same cart; a guest cart there is merged into it", async () => {
    const ann = await signIn("ann@example.com", "harbor-lights");
    const [a, b, c] = variants();
    // Device 1: Ann's cart with a×1 (as left by the test before, or made now).
    const home = (await api("POST", "/api/v1/carts", {}, customer(ann))).body;
    await api("PUT", `/api/v1/carts/${home.cart.id}/contact`, { email: "ann@example.com" }, customer(ann));
    const homeLines = (await api("GET", `/api/v1/carts/${home.cart.id}/lines`, undefined, customer(ann))).body.lines as {
      variantId: string;
      quantity: number;
    }[];
    const aBefore = homeLines.find((l) => l.variantId === a)?.quantity ?? 0;

    // Device 2: a guest cart with a×3, b×2, and c, and a shipping address.
    const phone = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    await api("POST", `/api/v1/carts/${phone}/lines`, { variantId: a, quantity: 3 });
    await api("POST", `/api/v1/carts/${phone}/lines`, { variantId: b, quantity: 2 });
    await api("POST", `/api/v1/carts/${phone}/lines`, { variantId: c, quantity: 1 });
    await api("PUT", `/api/v1/carts/${phone}/contact`, { email: "other@example.com" });
    await api("PUT", `/api/v1/carts/${phone}/addresses`, { shippingAddress: { lastName: "Lee", address1: "1 Dock St", city: "Portland", country: "US" } });

    const merged = await api("POST", "/api/v1/carts", { cartToken: phone }, customer(ann));
    expect(merged.status).toBe(200);
    expect(merged.body.cart.id).toBe(home.cart.id);
    expect(merged.body.mergedFrom).toBe(phone);
    expect(merged.headers.get("x-holdfast-cart-token")).toBe(home.cart.id);
    const lines = merged.body.lines as { variantId: string; quantity: number }[];
    expect(lines.find((l) => l.variantId === a)?.quantity).toBe(Math.max(3, aBefore));
    expect(lines.find((l) => l.variantId === b)?.quantity).toBe(2);
    expect(lines.find((l) => l.variantId === c)?.quantity).toBe(1);
    // The customer's contact stays; the guest's address fills the gap.
    expect(merged.body.cart.email).toBe("ann@example.com");
    expect(merged.body.cart.shippingAddress).toMatchObject({ city: "Portland" });
    expect(merged.body.totals.subtotal).toBeGreaterThan(0);

    // The guest cart is retired: its token reaches nothing, with or without Ann's token.
    expect((await api("GET", `/api/v1/carts/${phone}`)).status).toBe(404);
    expect((await api("GET", `/api/v1/carts/${phone}`, undefined, customer(ann))).status).toBe(404);
    // Signing in again with the retired token is harmless: Ann's cart, unchanged.
    const again = await api("POST", "/api/v1/carts", { cartToken: phone }, customer(ann));
    expect(again.body.cart.id).toBe(home.cart.id);
    expect(again.body.mergedFrom).toBeUndefined();
    expect(again.body.lines).toHaveLength(lines.length);
  });

  it("customers/redact erases the signed-in customer's cart, found by the customer's id", async () => {
    const ben = await signIn("ben@example.com", "salt-and-rope");
    const cart = (await api("POST", "/api/v1/carts", {}, customer(ben))).body.cart.id;
    const [d] = await t.store.sendWebhook(DEFAULT_SHOP, "customers/redact", { customer: { id: 7002, email: "ben-old@example.com" }, orders_to_redact: [] });
    expect(d.delivered).toBe(true);
    expect(await t.db.cart.count({ where: { id: cart } })).toBe(0);
  });
});
