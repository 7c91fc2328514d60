// Requests that come through Shopify's app proxy (the theme app extension's way to the app):
// Shopify signs every forwarded request's query string with the app's secret; the library
// checks it. Refusals are in the API's JSON shape: 401 for a signature Shopify did not make
// (the library's bare 400 says nothing a theme developer can act on), 403 for a shop where the
// app is not installed.
import { authenticate } from "../shopify.server";
import { apiError } from "../lib/api.server";
import type { AdminGraphqlClient } from "../shopify/admin-graphql.server";
import { shopifyTokenSchema } from "./holds.server";

/** An Online Store cart token, as /cart.js gives it. */
export const cartTokenSchema = shopifyTokenSchema("cartToken");

export async function proxiedShop(request: Request): Promise<{ shop: string; admin: AdminGraphqlClient }> {
  let context: Awaited<ReturnType<typeof authenticate.public.appProxy>>;
  try {
    context = await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 400)
      throw apiError(401, "invalid_signature", "This request was not signed by Shopify's app proxy: send it to https://<shop>/apps/holdfast/…");
    throw thrown;
  }
  if (!context.session || !context.admin) throw apiError(403, "not_installed", "Holdfast is not installed on this shop");
  return { shop: context.session.shop, admin: context.admin };
}
