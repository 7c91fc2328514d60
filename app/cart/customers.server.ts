// Who the shopper is: a Shopify customer access token (Storefront API, classic customer
// accounts) proves it. Holdfast never trusts a customer id a client merely states; it asks
// Shopify whose token this is, and remembers the answer for a minute (keyed by a hash, so
// tokens are not kept in memory as they are).
import { createHash } from "node:crypto";
import { unauthenticated } from "../shopify.server";
import db from "../db.server";
import { addressSchema, CartError, contactSchema } from "./carts.server";

export const CUSTOMER_TOKEN_HEADER = "X-Holdfast-Customer-Token";

export const CART_CUSTOMER_QUERY = `#graphql:storefront
  query CartCustomer($token: String!) {
    customer(customerAccessToken: $token) {
      id
      email
      phone
      firstName
      lastName
      defaultAddress { firstName lastName address1 address2 city provinceCode zip countryCodeV2 }
    }
  }
`;

/** What Shopify knows of a signed-in customer that a checkout can start from. */
export interface CustomerProfile {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  defaultAddress: {
    firstName: string | null;
    lastName: string | null;
    address1: string | null;
    address2: string | null;
    city: string | null;
    provinceCode: string | null;
    zip: string | null;
    countryCodeV2: string | null;
  } | null;
}

const TTL_MS = 60_000;
const cache = new Map<string, { profile: CustomerProfile | null; at: number }>();

/** The customer whose token this is (with what Shopify knows of them), or null for an unknown or expired token. */
export async function customerProfileOfToken(shop: string, token: string, now = Date.now()): Promise<CustomerProfile | null> {
  const key = `${shop}|${createHash("sha256").update(token).digest("hex")}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.profile;
  const { storefront } = await unauthenticated.storefront(shop);
  const response = await storefront.graphql(CART_CUSTOMER_QUERY, { variables: { token } });
  const { data } = (await response.json()) as { data: { customer: CustomerProfile | null } };
  const profile = data.customer ?? null;
  cache.set(key, { profile, at: now });
  return profile;
}

/** The customer whose token this is, or null for an unknown or expired token. */
export const customerOfToken = async (shop: string, token: string, now = Date.now()): Promise<string | null> =>
  (await customerProfileOfToken(shop, token, now))?.id ?? null;

/** The signed-in customer of this request, null for a guest; a token Shopify does not know is refused (401). */
export const requestCustomer = async (request: Request, shop: string): Promise<string | null> => (await requestCustomerProfile(request, shop))?.id ?? null;

/** The signed-in customer of this request with what Shopify knows of them; null for a guest. */
export async function requestCustomerProfile(request: Request, shop: string): Promise<CustomerProfile | null> {
  const token = request.headers.get(CUSTOMER_TOKEN_HEADER);
  if (!token) return null;
  if (token.length > 512) throw new CartError(401, "customer_token_invalid", "The customer token is not valid");
  const profile = await customerProfileOfToken(shop, token);
  if (!profile) throw new CartError(401, "customer_token_invalid", "The customer token is not valid or has expired; sign in again");
  return profile;
}

/**
 * A signed-in customer's cart starts from their details: their email, phone and default address
 * fill what the cart does not have yet (never what the shopper already typed). One conditional
 * update per field group, so a write racing it keeps the shopper's own words.
 */
export async function fillFromProfile(client: Pick<typeof db, "cart">, cartId: string, profile: CustomerProfile): Promise<void> {
  const contact = contactSchema.safeParse({ email: profile.email ?? undefined, ...(profile.phone ? { phone: profile.phone } : {}) });
  if (contact.success && contact.data.email) await client.cart.updateMany({ where: { id: cartId, email: null }, data: { email: contact.data.email } });
  if (contact.success && contact.data.phone) await client.cart.updateMany({ where: { id: cartId, phone: null }, data: { phone: contact.data.phone } });
  const address = profileAddress(profile);
  if (address) await client.cart.updateMany({ where: { id: cartId, shippingAddress: null }, data: { shippingAddress: address } });
}

/** The customer's default address as a cart stores it (JSON), or null when Shopify has none that a cart accepts. */
export function profileAddress(profile: CustomerProfile): string | null {
  const a = profile.defaultAddress;
  if (!a) return null;
  const address = addressSchema.safeParse(
    Object.fromEntries(
      Object.entries({
        firstName: a.firstName ?? profile.firstName,
        lastName: a.lastName ?? profile.lastName,
        address1: a.address1,
        address2: a.address2,
        city: a.city,
        province: a.provinceCode,
        zip: a.zip,
        country: a.countryCodeV2,
      }).filter(([, v]) => v),
    ),
  );
  return address.success ? JSON.stringify(address.data) : null;
}

/**
 * A guest cart merged into the customer's: an address the guest typed replaces one the
 * customer's cart only had from their saved default (typed on this device, it is the newer intent).
 */
export async function preferTypedAddress(client: Pick<typeof db, "cart">, cartId: string, guestCartId: string, profile: CustomerProfile): Promise<void> {
  const saved = profileAddress(profile);
  const guest = await client.cart.findUnique({ where: { id: guestCartId }, select: { shippingAddress: true } });
  if (saved && guest?.shippingAddress && guest.shippingAddress !== saved)
    await client.cart.updateMany({ where: { id: cartId, shippingAddress: saved }, data: { shippingAddress: guest.shippingAddress } });
}
