// How the Shopify libraries reach Shopify. Every request has a time limit (the libraries set
// none, and Node's fetch waits five minutes for headers): a Shopify that does not answer is a
// 503 for the waiting shopper, not a hung request. With SHOPIFY_DEV_STORE_URL set, requests to
// https://<shop>/... go to the local dev store instead (test and demo only); nothing else in
// the app changes: the libraries build the same URLs and send the same requests. See
// docs/decisions/003-local-dev-store.md.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Where a request for a shop's URL goes on the dev store, or null when it is not a shop URL. */
export function devStoreUrlFor(devStoreUrl: string, target: string | URL): URL | null {
  const url = new URL(target);
  if (url.protocol !== "https:" || !SHOP_HOST.test(url.hostname)) return null;
  const base = devStoreUrl.replace(/\/+$/, "");
  return new URL(`${base}/shops/${url.hostname}${url.pathname}${url.search}`);
}

export function installShopifyFetch(o: { timeoutMs: number; devStoreUrl?: string }) {
  const fetchFn = globalThis.fetch;
  setAbstractFetchFunc((input: RequestInfo | URL, init?: RequestInit) => {
    const limit = AbortSignal.timeout(o.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, limit]) : limit;
    const limited = { ...init, signal };
    const raw = input instanceof Request ? input.url : input.toString();
    const routed = o.devStoreUrl ? devStoreUrlFor(o.devStoreUrl, raw) : null;
    if (!routed) return fetchFn(input, limited);
    return input instanceof Request ? fetchFn(new Request(routed, input), limited) : fetchFn(routed, limited);
  });
}
