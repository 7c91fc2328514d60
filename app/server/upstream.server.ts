// When Shopify or Stripe cannot answer (throttled past what a request may wait, 5xx, timeouts,
// the network), or our database is too busy to answer in time, the shopper's or merchant's
// request is not at fault: the answer is 503 with Retry-After and a code, never a 500 (issue 11). This module says which
// errors are such failures; the Cart and Checkout API map them with their CORS headers, and the
// server maps any that reach a route's edge (app/server/upstream-guard.server.ts).
import { json } from "@remix-run/node";
import { GraphqlQueryError, HttpMaxRetriesError, HttpRequestError, HttpRetriableError, HttpThrottlingError } from "@shopify/shopify-api";
import Stripe from "stripe";
import { ShopifyThrottledError, ShopifyUnavailableError } from "../shopify/admin-graphql.server";

export type Upstream = "shopify" | "stripe" | "upstream" | "database";

export interface UpstreamFailure {
  upstream: Upstream;
  retryAfterSeconds: number;
  reason: string;
}

/** Raised by our own adapters when a service cannot answer now. */
export class UpstreamUnavailableError extends Error {
  constructor(
    readonly upstream: Upstream,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
    this.name = "UpstreamUnavailableError";
  }
}

const seconds = (s: number | undefined, fallback: number) => Math.min(120, Math.max(1, Math.ceil(s && Number.isFinite(s) ? s : fallback)));

function graphqlCodes(error: GraphqlQueryError): string[] {
  const body = error.body as { errors?: { graphQLErrors?: { extensions?: { code?: string } }[] } } | undefined;
  return (body?.errors?.graphQLErrors ?? []).map((e) => e.extensions?.code ?? "");
}

/** The failure of a service behind `error`, or undefined when the error is not one. */
export function upstreamFailure(error: unknown): UpstreamFailure | undefined {
  if (error instanceof UpstreamUnavailableError) return { upstream: error.upstream, retryAfterSeconds: error.retryAfterSeconds, reason: error.message };
  if (error instanceof ShopifyThrottledError) {
    const s = error.cost?.throttleStatus;
    const deficit = s ? Math.max(0, (error.cost?.requestedQueryCost ?? 0) - s.currentlyAvailable) / Math.max(s.restoreRate, 1) : undefined;
    return { upstream: "shopify", retryAfterSeconds: seconds(deficit, 2), reason: "Shopify is throttling this shop's API calls" };
  }
  if (error instanceof ShopifyUnavailableError) return { upstream: "shopify", retryAfterSeconds: 5, reason: "Shopify is not answering just now" };
  // The Shopify app library throws Shopify's own 429 or 5xx as a Response (its request-scoped clients).
  if (error instanceof Response && (error.status === 429 || error.status >= 500))
    return {
      upstream: "shopify",
      retryAfterSeconds: seconds(Number(error.headers.get("Retry-After")) || undefined, error.status === 429 ? 2 : 5),
      reason: "Shopify is not answering just now",
    };
  if (error instanceof HttpThrottlingError)
    return { upstream: "shopify", retryAfterSeconds: seconds(error.response.retryAfter, 2), reason: "Shopify is throttling this shop's API calls" };
  if (error instanceof HttpRetriableError || error instanceof HttpMaxRetriesError || error instanceof HttpRequestError)
    return { upstream: "shopify", retryAfterSeconds: 5, reason: "Shopify is not answering just now" };
  if (error instanceof GraphqlQueryError) {
    const codes = graphqlCodes(error);
    if (codes.includes("THROTTLED")) return { upstream: "shopify", retryAfterSeconds: 2, reason: "Shopify is throttling this shop's API calls" };
    if (codes.includes("INTERNAL_SERVER_ERROR")) return { upstream: "shopify", retryAfterSeconds: 5, reason: "Shopify is not answering just now" };
    const status = (error.response as { code?: number; status?: number } | undefined)?.code ?? (error.response as { status?: number } | undefined)?.status;
    if (typeof status === "number" && (status >= 500 || status === 429))
      return { upstream: "shopify", retryAfterSeconds: 5, reason: "Shopify is not answering just now" };
    return undefined;
  }
  if (error instanceof Stripe.errors.StripeError) {
    if (error instanceof Stripe.errors.StripeRateLimitError || error.statusCode === 429)
      return { upstream: "stripe", retryAfterSeconds: 2, reason: "Stripe is limiting requests just now" };
    if (error instanceof Stripe.errors.StripeConnectionError || (error.statusCode ?? 0) >= 500 || error.type === "StripeAPIError")
      return { upstream: "stripe", retryAfterSeconds: 5, reason: "Stripe is not answering just now" };
    return undefined;
  }
  // Our own database too busy to answer in time (a lock wait, the pool empty, a deadlock or write
  // conflict that a retry resolves): not the client's fault, and over in a moment.
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "P1008" || code === "P2024" || code === "P2034" || code === "40P01" || code === "40001" || code === "SQLITE_BUSY")
    return { upstream: "database", retryAfterSeconds: 1, reason: "The database is busy" };
  // fetch's own failures (refused, reset, DNS) and timeouts, from whichever client made the call.
  if (error instanceof TypeError && error.message === "fetch failed")
    return { upstream: "upstream", retryAfterSeconds: 5, reason: "A service we depend on is not answering just now" };
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError"))
    return { upstream: "upstream", retryAfterSeconds: 5, reason: "A service we depend on took too long to answer" };
  return undefined;
}

/** The 503 for a failure: `{ error: { code: "<upstream>_unavailable", message } }` with Retry-After. */
export function upstreamFailureResponse(failure: UpstreamFailure, headers: Record<string, string> = {}): Response {
  return json(
    { error: { code: `${failure.upstream}_unavailable`, message: `${failure.reason}; nothing was changed. Try again in ${failure.retryAfterSeconds} s.` } },
    { status: 503, headers: { "Retry-After": String(failure.retryAfterSeconds), "Cache-Control": "no-store", ...headers } },
  );
}
