import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cartApi } from "../cart/api.server";
import { addLine, cartView, listLines, prefetchFacts, removeLines, type Facts } from "../cart/carts.server";

// GET: the lines. POST { variantId, quantity }: add. DELETE { lineIds: [...] }: remove them all, or none.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  cartApi(request, "read", async ({ client }) => ({ status: 200, body: { lines: await listLines(client.shop, params.cartId!) } }));

export const action = ({ request, params }: ActionFunctionArgs) =>
  cartApi<Facts>(
    request,
    "write",
    async ({ client, body, tx, prepared: facts }) => {
      const cartId = params.cartId!;
      const input = (body ?? {}) as { variantId?: unknown; quantity?: unknown; lineIds?: unknown };
      if (request.method === "POST") await addLine(client.shop, cartId, { variantId: input.variantId, quantity: input.quantity }, { client: tx, facts });
      else if (request.method === "DELETE") await removeLines(client.shop, cartId, input.lineIds, { client: tx });
      else return { status: 405, body: { error: { code: "method_not_allowed", message: "Use GET, POST or DELETE" } } };
      return { status: request.method === "POST" ? 201 : 200, body: await cartView(client.shop, cartId, { client: tx, facts }) };
    },
    async ({ client, body }) => {
      const variantId = (body as { variantId?: unknown } | undefined)?.variantId;
      return prefetchFacts(client.shop, params.cartId!, typeof variantId === "string" ? [variantId] : []);
    },
  );
