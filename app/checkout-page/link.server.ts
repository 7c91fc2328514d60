// The link to Holdfast's checkout page for one cart: `/checkout/<shop handle>/<cart id>?sig=…`.
// The signature (HMAC with the app's secret) is made only by a Cart API call that could read the
// cart, so a customer's cart opens only from a link their own session was given, and a cart id
// seen elsewhere (a log, a cookie) opens nothing on its own.
import { createHmac, timingSafeEqual } from "node:crypto";
import { appConfig } from "../config.server";

const HANDLE = /^[a-z0-9][a-z0-9-]{0,59}$/;

/** The shop's handle in the page's path (`example` for example.myshopify.com). */
export const shopHandle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");

/** The shop a path's handle names, or null when it cannot be one. */
export const shopOfHandle = (handle: string) => (HANDLE.test(handle) ? `${handle}.myshopify.com` : null);

const signature = (shop: string, cartId: string, customerId: string | null) =>
  createHmac("sha256", appConfig().SHOPIFY_API_SECRET)
    .update(`holdfast checkout link|${shop}|${cartId}|${customerId ?? ""}`)
    .digest("base64url")
    .slice(0, 32);

export const checkoutPath = (shop: string, cartId: string) => `/checkout/${shopHandle(shop)}/${cartId}`;

/** The page's address for this cart (for the shopper the cart belongs to). */
export function checkoutLink(shop: string, cartId: string, customerId: string | null): string {
  const url = new URL(checkoutPath(shop, cartId), appConfig().SHOPIFY_APP_URL);
  url.searchParams.set("sig", signature(shop, cartId, customerId));
  return url.toString();
}

/** Whether `sig` is the one this cart's link carries. */
export function isCheckoutSignature(shop: string, cartId: string, customerId: string | null, sig: string | null): boolean {
  if (!sig || sig.length !== 32) return false;
  return timingSafeEqual(Buffer.from(sig), Buffer.from(signature(shop, cartId, customerId)));
}
