import type { ActionFunctionArgs } from "@remix-run/node";
import { cartWriteApi, otherMethods } from "../cart/api.server";
import { applyDiscountCode } from "../cart/carts.server";

// POST { code }: apply one of the shop's Shopify discount codes.
export const action = ({ request, params }: ActionFunctionArgs) =>
  cartWriteApi(request, params.cartId!, {
    POST: { reason: "discount code applied", run: ({ shop, cartId, body, tx, facts }) => applyDiscountCode(shop, cartId, body, { client: tx, facts }) },
  });

export const loader = otherMethods("POST");
