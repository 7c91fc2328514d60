import type { ActionFunctionArgs } from "@remix-run/node";
import { cartApi } from "../cart/api.server";
import { cartView, prefetchFacts, setAddresses, type Facts } from "../cart/carts.server";

// PUT { shippingAddress, billingAddress? }: billing is the shipping address unless given.
export const action = ({ request, params }: ActionFunctionArgs) =>
  cartApi<Facts>(
    request,
    "write",
    async ({ client, body, tx, prepared: facts }) => {
      if (request.method !== "PUT") return { status: 405, body: { error: { code: "method_not_allowed", message: "Use PUT" } } };
      await setAddresses(client.shop, params.cartId!, body, { client: tx });
      return { status: 200, body: await cartView(client.shop, params.cartId!, { client: tx, facts }) };
    },
    ({ client }) => prefetchFacts(client.shop, params.cartId!),
  );
