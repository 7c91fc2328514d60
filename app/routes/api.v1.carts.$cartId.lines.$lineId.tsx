import type { ActionFunctionArgs } from "@remix-run/node";
import { cartApi } from "../cart/api.server";
import { cartView, prefetchFacts, removeLines, updateLineQuantity, type Facts } from "../cart/carts.server";

// PATCH { quantity }: set the line's quantity. DELETE: remove the line.
export const action = ({ request, params }: ActionFunctionArgs) =>
  cartApi<Facts>(
    request,
    "write",
    async ({ client, body, tx, prepared: facts }) => {
      const { cartId, lineId } = params as { cartId: string; lineId: string };
      if (request.method === "PATCH") await updateLineQuantity(client.shop, cartId, lineId, (body as { quantity?: unknown } | undefined)?.quantity, { client: tx });
      else if (request.method === "DELETE") await removeLines(client.shop, cartId, [lineId], { client: tx });
      else return { status: 405, body: { error: { code: "method_not_allowed", message: "Use PATCH or DELETE" } } };
      return { status: 200, body: await cartView(client.shop, cartId, { client: tx, facts }) };
    },
    ({ client }) => prefetchFacts(client.shop, params.cartId!),
  );
