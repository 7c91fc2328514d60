import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cartApi } from "../cart/api.server";
import { cartTotals, cartView, chooseShippingRate, prefetchFacts, type Facts } from "../cart/carts.server";

// GET: the rates that apply to the cart now, with their amounts. PUT { rateId }: choose one.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  cartApi(request, "read", async ({ client }) => {
    const totals = await cartTotals(client.shop, params.cartId!);
    return { status: 200, body: { rates: totals.availableShippingRates, chosen: totals.shippingRate?.id ?? null } };
  });

export const action = ({ request, params }: ActionFunctionArgs) =>
  cartApi<Facts>(
    request,
    "write",
    async ({ client, body, tx, prepared: facts }) => {
      if (request.method !== "PUT") return { status: 405, body: { error: { code: "method_not_allowed", message: "Use PUT" } } };
      await chooseShippingRate(client.shop, params.cartId!, body, { client: tx, facts });
      return { status: 200, body: await cartView(client.shop, params.cartId!, { client: tx, facts }) };
    },
    ({ client }) => prefetchFacts(client.shop, params.cartId!),
  );
