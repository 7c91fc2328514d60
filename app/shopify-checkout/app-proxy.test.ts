// The theme path's way to the app: Shopify's app proxy, modelled by the dev store
// (https://<shop>/apps/holdfast/… forwarded, signed, to /proxy/…). A hold for the cart, read back
// with the server's clock; a request Shopify did not sign is refused with 401 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { proxiedUrl } from "../../test/dev-store/app-proxy";
import { stockedVariants } from "../../test/fixtures";

const NOT_INSTALLED = "never-installed.myshopify.com";
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, NOT_INSTALLED] });
  await t.install(DEFAULT_SHOP);
});
afterAll(async () => t?.close());

/** The shopper's browser on the shop's own domain, calling the app proxy. */
async function storefront(method: string, rest: string, body?: unknown, shop = DEFAULT_SHOP) {
  const res = await fetch(`${t.store.url}/shops/${shop}/apps/holdfast${rest}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
/** A request straight to the app's proxy route, signed with `secret` (or not at all). */
async function direct(o: { shop?: string; secret?: string | null; query?: Record<string, string>; tamper?: (p: URLSearchParams) => void; body?: unknown }) {
  const proxy = t.store.state.app.appProxy!;
  let target = proxiedUrl({
    appUrl: t.url,
    proxy,
    secret: o.secret ?? t.apiSecret,
    shop: o.shop ?? DEFAULT_SHOP,
    rest: "/holds",
    query: new URLSearchParams(o.query),
  });
  const url = new URL(target);
  if (o.secret === null) url.searchParams.delete("signature");
  o.tamper?.(url.searchParams);
  target = url.toString();
  const res = await fetch(target, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(o.body ?? {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const holdsOfCart = (token: string) => t.db.hold.count({ where: { shop: DEFAULT_SHOP, ownerId: `cart-${token}` } });

describe("the app proxy (theme app extension, every plan)", () => {
  it("ties a live hold to the Online Store cart as its $app:hold claim; a refused change leaves hold and claim as they were", async () => {
    const [, v] = stockedVariants(t.store.shop(), 2);
    const shop = t.store.shop();
    const cart = t.store.checkout.add(shop, undefined, { items: [{ id: v.id, quantity: 1 }] });
    const held = await storefront("POST", "/holds", { cartToken: cart.token, lines: [{ variantId: v.gid, quantity: 1 }] });
    expect(held.body).toMatchObject({ tiedToCart: true, hold: { state: "held" } });
    const claim = cart.metafields.get(`app--${t.apiKey}.hold`);
    expect(claim?.type).toBe("json");
    expect(JSON.parse(claim!.value)).toEqual({
      v: 1,
      id: held.body.hold.id,
      expiresAt: Math.floor(Date.parse(held.body.hold.expiresAt) / 1000),
      lines: [{ variantId: v.gid, quantity: 1 }],
    });
    const short = await storefront("POST", "/holds", { cartToken: cart.token, lines: [{ variantId: v.gid, quantity: 10_000 }] });
    expect(short.status).toBe(409);
    expect(cart.metafields.get(`app--${t.apiKey}.hold`)).toEqual(claim);
    expect((await storefront("GET", `/holds?cartToken=${cart.token}`)).body.hold).toMatchObject({ id: held.body.hold.id, state: "held" });
    // A cart the shop does not have: the hold stands, and the answer says it is not tied.
    expect((await storefront("POST", "/holds", { cartToken: "c1-nowhere", lines: [{ variantId: v.gid, quantity: 1 }] })).body.tiedToCart).toBe(false);
  });

  it("holds the cart's lines for the checkout to come, refreshes the same hold, and reads it back with the server's clock", async () => {
    const [v] = stockedVariants(t.store.shop(), 3);
    const held = await storefront("POST", "/holds", { cartToken: "c1-theme-1", lines: [{ variantId: v.gid, quantity: 2 }] });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ strategy: "hold", hold: { state: "held", owner: { type: "checkout", id: "cart-c1-theme-1" } } });
    const again = await storefront("POST", "/holds", { cartToken: "c1-theme-1", lines: [{ variantId: v.gid, quantity: 2 }] });
    expect(again.body.hold.id).toBe(held.body.hold.id);
    const read = await storefront("GET", "/holds?cartToken=c1-theme-1");
    expect(read.status).toBe(200);
    expect(read.body.hold).toMatchObject({ id: held.body.hold.id, state: "held" });
    expect(read.body.hold.remainingSeconds).toBeGreaterThan(0);
    expect(Date.parse(read.body.hold.serverTime)).toBeGreaterThan(0);
  });

  it("names the short lines when the stock is not there", async () => {
    const [, v] = stockedVariants(t.store.shop(), 1);
    const res = await storefront("POST", "/holds", { cartToken: "c1-theme-short", lines: [{ variantId: v.gid, quantity: v.available + 1000 }] });
    expect(res).toBeApiError(409, "unavailable");
    expect(res.body.lines[0]).toMatchObject({ variantId: v.gid, quantity: v.available + 1000 });
  });

  it("refuses a bad request with a reason and holds nothing", async () => {
    const [v] = stockedVariants(t.store.shop(), 1);
    for (const body of [
      { cartToken: "bad token!", lines: [{ variantId: v.gid, quantity: 1 }] },
      { cartToken: "c1-x", lines: [] },
      { cartToken: "c1-x", lines: [{ variantId: v.gid, quantity: 1 }], extra: 1 },
    ])
      expect(await storefront("POST", "/holds", body), JSON.stringify(body)).toBeApiError(400, "invalid_request");
    expect(await holdsOfCart("c1-x")).toBe(0);
  });

  it("refuses with 401, changing nothing, a request Shopify did not sign: none, a forged one, or one altered after signing", async () => {
    const [v] = stockedVariants(t.store.shop(), 1);
    const body = { cartToken: "c1-forged", lines: [{ variantId: v.gid, quantity: 1 }] };
    expect(await direct({ secret: null, body })).toBeApiError(401, "invalid_signature");
    expect(await direct({ secret: "not-the-apps-secret", body })).toBeApiError(401, "invalid_signature");
    expect(await direct({ body, tamper: (p) => p.set("logged_in_customer_id", "42") })).toBeApiError(401, "invalid_signature");
    expect(await direct({ body, query: { note: "x" }, tamper: (p) => p.set("note", "y") })).toBeApiError(401, "invalid_signature");
    expect(await holdsOfCart("c1-forged")).toBe(0);
    // Signed by Shopify, for real: the same request goes through.
    expect((await direct({ body })).status).toBe(200);
    expect(await holdsOfCart("c1-forged")).toBe(1);
  });

  it("a shop where the app is not installed: Shopify does not forward, and a signed request is refused with 403", async () => {
    expect((await storefront("POST", "/holds", { cartToken: "c1-n", lines: [] }, NOT_INSTALLED)).status).toBe(404);
    const [v] = stockedVariants(t.store.shop(NOT_INSTALLED), 1);
    expect(await direct({ shop: NOT_INSTALLED, body: { cartToken: "c1-n", lines: [{ variantId: v.gid, quantity: 1 }] } })).toBeApiError(403, "not_installed");
  });
});
