import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cartApi, cartWriteApi } from "../cart/api.server";
import { cartTotals, chooseShippingRate } from "../cart/carts.server";

// GET: the rates that apply to the cart now, with their amounts. PUT { rateId }: choose one.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  cartApi(
    request,
    "read",
    async ({ client }) => {
      const totals = await cartTotals(client.shop, params.cartId!);
      return { status: 200, body: { rates: totals.availableShippingRates, chosen: totals.shippingRate?.id ?? null } };
    },
    undefined,
    params.cartId!,
  );

export const action = ({ request, params }: ActionFunctionArgs) =>
  cartWriteApi(request, params.cartId!, {
    PUT: { reason: "shipping rate chosen", run: ({ shop, cartId, body, tx, facts }) => chooseShippingRate(shop, cartId, body, { client: tx, facts }) },
  });
