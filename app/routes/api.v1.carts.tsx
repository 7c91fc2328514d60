import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { cartApi, cartCookie, CART_TOKEN_HEADER, otherMethods } from "../cart/api.server";
import { CartError, cartView, customersCart, getOrCreateCart, prefetchFactsForCarts, type Facts } from "../cart/carts.server";
import { fillFromProfile, preferTypedAddress, requestCustomerProfile, type CustomerProfile } from "../cart/customers.server";
import { shopCurrency } from "../shop/shopify-settings.server";
import { zodMessage } from "../lib/api.server";
import db from "../db.server";

const body = z
  .object({
    cartToken: z
      .string({ invalid_type_error: "cartToken must be a string (the cart's token) or null" })
      .max(64, "cartToken is at most 64 characters")
      .nullish(),
  })
  .passthrough();

/** The guest's cart token: in the body, the header, or the cookie, in that order. */
async function tokenOf(request: Request, shop: string, raw: unknown): Promise<string | null> {
  const parsed = body.safeParse(raw ?? {});
  if (!parsed.success) throw new CartError(400, "invalid_request", zodMessage(parsed.error.issues));
  const given = parsed.data.cartToken ?? request.headers.get(CART_TOKEN_HEADER);
  if (given) return given;
  const fromCookie: unknown = await cartCookie(shop).parse(request.headers.get("Cookie"));
  return typeof fromCookie === "string" ? fromCookie : null;
}

// POST /api/v1/carts: the cart for this token (body, header or cookie), or a new one. With a
// customer token (X-Holdfast-Customer-Token): the customer's cart, the guest's merged into it.
export const action = ({ request }: ActionFunctionArgs) =>
  cartApi<{ currency: string; facts: Facts; token: string | null; customerId: string | null; profile: CustomerProfile | null }>(
    request,
    "write",
    async ({ client, tx, prepared }) => {
      const { cart, created, merged } = await getOrCreateCart(client.shop, prepared.token, prepared.currency, { client: tx, customerId: prepared.customerId });
      if (prepared.profile && merged && prepared.token) await preferTypedAddress(tx ?? db, cart.id, prepared.token, prepared.profile);
      if (prepared.profile) await fillFromProfile(tx ?? db, cart.id, prepared.profile);
      const view = await cartView(client.shop, cart.id, { client: tx, facts: prepared.facts });
      return {
        status: created ? 201 : 200,
        body: { ...view, ...(merged ? { mergedFrom: prepared.token } : {}) },
        headers: { [CART_TOKEN_HEADER]: cart.id, "Set-Cookie": await cartCookie(client.shop).serialize(cart.id) },
      };
    },
    async ({ client, body: raw }) => {
      const token = await tokenOf(request, client.shop, raw);
      const profile = await requestCustomerProfile(request, client.shop);
      const customerId = profile?.id ?? null;
      const own = customerId ? await customersCart(client.shop, customerId) : null;
      return {
        token,
        customerId,
        profile,
        currency: await shopCurrency(client.shop),
        facts: await prefetchFactsForCarts(client.shop, [token, own?.id ?? null]),
      };
    },
  );

export const loader = otherMethods("POST");
