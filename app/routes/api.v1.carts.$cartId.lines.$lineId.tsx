import type { ActionFunctionArgs } from "@remix-run/node";
import { cartWriteApi, otherMethods } from "../cart/api.server";
import { removeLines, updateLineQuantity } from "../cart/carts.server";

// PATCH { quantity }: set the line's quantity. DELETE: remove the line.
export const action = ({ request, params }: ActionFunctionArgs) =>
  cartWriteApi(request, params.cartId!, {
    PATCH: {
      reason: "quantity changed",
      run: async ({ shop, cartId, body, tx }) => {
        await updateLineQuantity(shop, cartId, params.lineId!, (body as { quantity?: unknown } | undefined)?.quantity, { client: tx });
      },
    },
    DELETE: { reason: "line removed", run: ({ shop, cartId, tx }) => removeLines(shop, cartId, [params.lineId!], { client: tx }) },
  });

export const loader = otherMethods("PATCH, DELETE");
