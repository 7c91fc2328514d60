// With SHOPIFY_DEV_STORE_URL set, the Shopify libraries' requests to https://<shop>/... go
// to the local dev store instead (test and demo only). Nothing else in the app changes:
// the libraries build the same URLs and send the same requests. See docs/decisions/003-local-dev-store.md.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Where a request for a shop's URL goes on the dev store, or null when it is not a shop URL. */
export function devStoreUrlFor(devStoreUrl: string, target: string | URL): URL | null {
  const url = new URL(target);
  if (url.protocol !== "https:" || !SHOP_HOST.test(url.hostname)) return null;
  const base = devStoreUrl.replace(/\/+$/, "");
  return new URL(`${base}/shops/${url.hostname}${url.pathname}${url.search}`);
}

export function routeShopifyTrafficToDevStore(devStoreUrl: string) {
  const fetchFn = globalThis.fetch;
  setAbstractFetchFunc((input: RequestInfo | URL, init?: RequestInit) => {
    const raw = input instanceof Request ? input.url : input.toString();
    const routed = devStoreUrlFor(devStoreUrl, raw);
    if (!routed) return fetchFn(input, init);
    return input instanceof Request ? fetchFn(new Request(routed, input), init) : fetchFn(routed, init);
  });
}
