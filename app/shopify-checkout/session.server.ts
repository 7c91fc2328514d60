// What the checkout hold routes share: the shop from the checkout session token, and the
// shop's Admin API client (the app must be installed there).
import { unauthenticated } from "../shopify.server";
import { apiError } from "../lib/api.server";

export function shopFromCheckoutToken(sessionToken: { dest?: unknown }): string {
  return String(sessionToken.dest ?? "").replace(/^https:\/\//, "");
}

export async function adminForShop(shop: string) {
  try {
    return (await unauthenticated.admin(shop)).admin;
  } catch {
    throw apiError(403, "not_installed", `Holdfast is not installed on ${shop}`);
  }
}
