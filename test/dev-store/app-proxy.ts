// Shopify's app proxy: https://<shop>/<prefix>/<subpath>/<rest> is forwarded to the app's proxy
// URL + <rest>, with the shopper's query string and Shopify's own parameters (shop,
// logged_in_customer_id, path_prefix, timestamp) signed with the app's secret: the parameters
// sorted by name, each `name=value` (several values joined by commas), concatenated with no
// separator, HMAC-SHA256 in hex, as `signature`. The app's answer comes back as it is.
import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface AppProxyRegistration {
  prefix: string;
  subpath: string;
  /** The path of the proxy URL under the app's URL (`/proxy` for https://app.example.com/proxy). */
  path: string;
}

export function appProxySignature(params: URLSearchParams, secret: string): string {
  const byName = new Map<string, string[]>();
  for (const [k, v] of params) if (k !== "signature") byName.set(k, [...(byName.get(k) ?? []), v]);
  const message = [...byName.keys()]
    .sort()
    .map((k) => `${k}=${byName.get(k)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** The signed URL Shopify would call for `rest` (the part after /<prefix>/<subpath>). */
export function proxiedUrl(o: {
  appUrl: string;
  proxy: AppProxyRegistration;
  secret: string;
  shop: string;
  rest: string;
  query: URLSearchParams;
  customerId?: number;
  now?: number;
}) {
  const params = new URLSearchParams(o.query);
  for (const k of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) params.delete(k);
  params.set("shop", o.shop);
  params.set("logged_in_customer_id", o.customerId ? String(o.customerId) : "");
  params.set("path_prefix", `/${o.proxy.prefix}/${o.proxy.subpath}`);
  params.set("timestamp", String(Math.floor((o.now ?? Date.now()) / 1000)));
  params.set("signature", appProxySignature(params, o.secret));
  return `${o.appUrl.replace(/\/+$/, "")}${o.proxy.path.replace(/\/+$/, "")}${o.rest}?${params}`;
}

export async function forwardThroughProxy(req: IncomingMessage, res: ServerResponse, target: string, body: string) {
  const answer = await fetch(target, {
    method: req.method,
    headers: { "Content-Type": String(req.headers["content-type"] ?? "application/json"), "User-Agent": "Shopify-Proxy" },
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
  const text = await answer.text();
  res.writeHead(answer.status, {
    "Content-Type": answer.headers.get("content-type") ?? "text/plain",
    "Cache-Control": answer.headers.get("cache-control") ?? "no-store",
  });
  res.end(text);
}
