import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cartApi, cartWriteApi } from "../cart/api.server";
import { addLine, listLines, removeLines } from "../cart/carts.server";

// GET: the lines. POST { variantId, quantity }: add. DELETE { lineIds: [...] }: remove them all, or none.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  cartApi(request, "read", async ({ client }) => ({ status: 200, body: { lines: await listLines(client.shop, params.cartId!) } }), undefined, params.cartId!);

type LinesBody = { variantId?: unknown; quantity?: unknown; lineIds?: unknown } | undefined;

export const action = ({ request, params }: ActionFunctionArgs) =>
  cartWriteApi(request, params.cartId!, {
    POST: {
      reason: "line added",
      run: async ({ shop, cartId, body, tx, facts }) => {
        const input = body as LinesBody;
        await addLine(shop, cartId, { variantId: input?.variantId, quantity: input?.quantity }, { client: tx, facts });
        return 201;
      },
    },
    DELETE: { reason: "lines removed", run: ({ shop, cartId, body, tx }) => removeLines(shop, cartId, (body as LinesBody)?.lineIds, { client: tx }) },
  });
