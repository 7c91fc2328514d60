import type { LoaderFunctionArgs } from "@remix-run/node";
import { cartApi, otherMethods } from "../cart/api.server";
import { totalsForVersion } from "../cart/totals-versions.server";

// GET ?version=N: the totals for version N (or a newer one), or 202 while they are calculated.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  cartApi(
    request,
    "read",
    async ({ client }) => totalsForVersion(client.shop, params.cartId!, new URL(request.url).searchParams.get("version")),
    undefined,
    params.cartId!,
  );

export const action = otherMethods("GET");
