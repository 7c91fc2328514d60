import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { cartApi } from "../cart/api.server";
import { cartView } from "../cart/carts.server";

// GET /api/v1/carts/:cartId: the cart, its lines and fresh totals.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  cartApi(request, "read", async ({ client }) => ({ status: 200, body: await cartView(client.shop, params.cartId!) }), undefined, params.cartId!);

export const action = ({ request }: ActionFunctionArgs) =>
  cartApi(request, "read", async () => ({ status: 405, body: { error: { code: "method_not_allowed", message: "Use GET" } } }));
