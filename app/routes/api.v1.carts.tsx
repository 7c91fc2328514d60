import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { cartApi, CART_TOKEN_HEADER } from "../cart/api.server";
import { shopCurrency } from "../shop/shopify-settings.server";
import { cartView, getOrCreateCart, prefetchFacts, type Facts } from "../cart/carts.server";

const body = z.object({ cartToken: z.string().max(64).nullish() }).passthrough();
const tokenOf = (request: Request, raw: unknown) => body.safeParse(raw ?? {}).data?.cartToken ?? request.headers.get(CART_TOKEN_HEADER);

// POST /api/v1/carts: the cart for this token (body or header), or a new one.
export const action = ({ request }: ActionFunctionArgs) =>
  cartApi<{ currency: string; facts: Facts }>(
    request,
    "write",
    async ({ client, body: raw, tx, prepared }) => {
      const { cart, created } = await getOrCreateCart(client.shop, tokenOf(request, raw), prepared.currency, { client: tx });
      return { status: created ? 201 : 200, body: await cartView(client.shop, cart.id, { client: tx, facts: prepared.facts }), headers: { [CART_TOKEN_HEADER]: cart.id } };
    },
    async ({ client, body: raw }) => ({ currency: await shopCurrency(client.shop), facts: await prefetchFacts(client.shop, tokenOf(request, raw) ?? null) }),
  );
