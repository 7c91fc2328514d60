import type { ActionFunctionArgs } from "@remix-run/node";
import { cartWriteApi, otherMethods } from "../cart/api.server";
import { removeDiscountCode } from "../cart/carts.server";

// DELETE: remove the code from the cart.
export const action = ({ request, params }: ActionFunctionArgs) =>
  cartWriteApi(request, params.cartId!, {
    DELETE: { reason: "discount code removed", run: ({ shop, cartId, tx }) => removeDiscountCode(shop, cartId, params.code!, { client: tx }) },
  });

export const loader = otherMethods("DELETE");
