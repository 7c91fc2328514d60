import type { ActionFunctionArgs } from "@remix-run/node";
import { cartWriteApi, otherMethods } from "../cart/api.server";
import { setContact } from "../cart/carts.server";

// PUT { email?, phone? }: the shopper's contact.
export const action = ({ request, params }: ActionFunctionArgs) =>
  cartWriteApi(request, params.cartId!, {
    PUT: { reason: "contact set", run: ({ shop, cartId, body, tx }) => setContact(shop, cartId, body, { client: tx }) },
  });

export const loader = otherMethods("PUT");
