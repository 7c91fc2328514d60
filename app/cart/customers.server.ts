// Who the shopper is: a Shopify customer access token (Storefront API, classic customer
// accounts) proves it. Holdfast never trusts a customer id a client merely states; it asks
// Shopify whose token this is, and remembers the answer for a minute (keyed by a hash, so
// tokens are not kept in memory as they are).
import { createHash } from "node:crypto";
import { unauthenticated } from "../shopify.server";
import { CartError } from "./carts.server";

export const CUSTOMER_TOKEN_HEADER = "X-Holdfast-Customer-Token";

export const CART_CUSTOMER_QUERY = `#graphql:storefront
  query CartCustomer($token: String!) {
    customer(customerAccessToken: $token) { id }
  }
`;

const TTL_MS = 60_000;
const cache = new Map<string, { customerId: string | null; at: number }>();

/** The customer whose token this is, or null for an unknown or expired token. */
export async function customerOfToken(shop: string, token: string, now = Date.now()): Promise<string | null> {
  const key = `${shop}|${createHash("sha256").update(token).digest("hex")}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.customerId;
  const { storefront } = await unauthenticated.storefront(shop);
  const response = await storefront.graphql(CART_CUSTOMER_QUERY, { variables: { token } });
  const { data } = (await response.json()) as { data: { customer: { id: string } | null } };
  const customerId = data.customer?.id ?? null;
  cache.set(key, { customerId, at: now });
  return customerId;
}

/** The signed-in customer of this request, null for a guest; a token Shopify does not know is refused (401). */
export async function requestCustomer(request: Request, shop: string): Promise<string | null> {
  const token = request.headers.get(CUSTOMER_TOKEN_HEADER);
  if (!token) return null;
  if (token.length > 512) throw new CartError(401, "customer_token_invalid", "The customer token is not valid");
  const customerId = await customerOfToken(shop, token);
  if (!customerId) throw new CartError(401, "customer_token_invalid", "The customer token is not valid or has expired; sign in again");
  return customerId;
}
