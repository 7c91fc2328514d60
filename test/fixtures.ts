// Set-ups many tests share, on the real dev store: a stocked variant, and a cart ready to pay.
import type { ShopState } from "./dev-store/store";

export const variantGid = (id: number) => `gid://shopify/ProductVariant/${id}`;

export interface StockedVariant {
  id: number;
  gid: string;
  inventoryItemId: number;
  /** The price in minor units (the dev store's prices have two decimals). */
  cents: number;
  /** Units available at the best-stocked location. */
  available: number;
}

/** The shop's variants with at least `atLeast` units available at one location, in catalogue order. */
export function stockedVariants(shop: ShopState, atLeast = 1): StockedVariant[] {
  const { catalog } = shop;
  return catalog.variants.flatMap((v) => {
    const levels = catalog.levels.filter((l) => l.inventoryItemId === v.inventoryItemId && l.quantities.available >= atLeast);
    if (!levels.length) return [];
    const available = Math.max(...levels.map((l) => l.quantities.available));
    return [{ id: v.id, gid: variantGid(v.id), inventoryItemId: v.inventoryItemId, cents: Number(v.price.replace(".", "")), available }];
  });
}

/** A storefront client's call (test/storefront-client.ts). */
type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A cart ready to pay, made through the Cart API: lines, a contact, an address and the first shipping rate. */
export async function readyCart(api: Api, lines: { variantId: string; quantity: number }[]) {
  const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
  for (const line of lines) await api("POST", `/api/v1/carts/${cart}/lines`, line);
  await api("PUT", `/api/v1/carts/${cart}/contact`, { email: "ann@example.com" });
  await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: { lastName: "Lee", address1: "1 Dock St", city: "Portland", country: "US" } });
  const rates = (await api("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.rates as { id: string }[];
  const chosen = await api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: rates[0].id });
  // A shop that answers writes without totals (async or events mode): the storefront reads them.
  const totals = chosen.body.totals ?? (await api("GET", `/api/v1/carts/${cart}/totals`)).body.totals;
  return { cart, grandTotal: totals.grandTotal as number };
}

/** Reads until `done` says yes (every 20 ms, 10 s at most). */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what = "the condition"): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Checkout extensions run in the shopper's browser; the Shopify library turns bots away.
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

/**
 * The checkout UI extension calling the app, as Shopify's checkout runs it: a checkout session
 * token (`token: null` sends none), from the extensions CDN's origin, JSON in and out.
 */
export function checkoutExtensionClient(baseUrl: () => string, sessionToken: (shop: string) => Promise<string>, defaultShop: string) {
  return async function call(method: string, path: string, body?: unknown, o: { shop?: string; token?: string | null; raw?: string } = {}) {
    const token = o.token === undefined ? await sessionToken(o.shop ?? defaultShop) : o.token;
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": BROWSER_UA,
        Origin: "https://extensions.shopifycdn.com",
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: o.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
}
