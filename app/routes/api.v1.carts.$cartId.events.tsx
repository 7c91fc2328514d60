import type { LoaderFunctionArgs } from "@remix-run/node";
import { cartStreamApi, otherMethods } from "../cart/api.server";
import { totalsEventStream } from "../cart/totals-versions.server";

// GET: a Server-Sent Events stream of the cart's totals, one `totals` event per new version.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  cartStreamApi(request, params.cartId!, ({ client }) => totalsEventStream(request.signal, client.shop, params.cartId!));

export const action = otherMethods("GET");
