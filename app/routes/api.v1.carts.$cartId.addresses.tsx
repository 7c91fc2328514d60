import type { ActionFunctionArgs } from "@remix-run/node";
import { cartWriteApi, otherMethods } from "../cart/api.server";
import { setAddresses } from "../cart/carts.server";

// PUT { shippingAddress, billingAddress? }: billing is the shipping address unless given.
export const action = ({ request, params }: ActionFunctionArgs) =>
  cartWriteApi(request, params.cartId!, {
    PUT: { reason: "addresses set", run: ({ shop, cartId, body, tx }) => setAddresses(shop, cartId, body, { client: tx }) },
  });

export const loader = otherMethods("PUT");
