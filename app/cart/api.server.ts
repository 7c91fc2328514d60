// The Cart API's plumbing, shared by its routes: storefront-key auth, CORS, JSON bodies,
// Idempotency-Key on writes, and errors as a code and a message.
import { createCookie, type Cookie } from "@remix-run/node";
import { apiError, readJsonBody } from "../lib/api.server";
import { upstreamFailure, upstreamFailureResponse } from "../server/upstream.server";
import { authenticateStorefrontKey, corsHeaders, type StorefrontClient } from "../storefront/keys.server";
import type { Tx } from "../db.server";
import { idempotencyResponse, runIdempotent, type IdempotentAnswer } from "../idempotency/idempotency.server";
import db from "../db.server";
import { CartError, cartView, prefetchFacts, requireCartAccess, type Facts } from "./carts.server";
import { requestCustomer } from "./customers.server";
import { bumpTotalsVersion, calculateInBackground, publishIfWatched, totalsModeOf, type TotalsMode } from "./totals-versions.server";

export const CART_TOKEN_HEADER = "X-Holdfast-Cart-Token";

const cartCookies = new Map<string, Cookie>();
/**
 * The guest's cart token as an HttpOnly cookie, one per shop (a storefront's scripts never see
 * it). SameSite=None and Secure, because the storefront calls from its own origin with
 * credentials; headless clients that cannot keep cookies use the header instead.
 */
export function cartCookie(shop: string): Cookie {
  let cookie = cartCookies.get(shop);
  if (!cookie) {
    cookie = createCookie(`holdfast_cart_${shop.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/g, "")}`, {
      httpOnly: true,
      secure: true,
      sameSite: "none",
      path: "/api/v1/carts",
      maxAge: 30 * 24 * 3600,
    });
    cartCookies.set(shop, cookie);
  }
  return cookie;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

/**
 * The half of an API route that serves none of its methods (Remix sends GET, HEAD and OPTIONS
 * to a route's loader, every other method to its action): a browser's CORS preflight is
 * answered, anything else is a JSON 405 naming the methods that work.
 */
export const otherMethods =
  (allowed: string) =>
  ({ request }: { request: Request }) =>
    request.method === "OPTIONS"
      ? new Response(null, { status: 204, headers: corsHeaders(request.headers.get("Origin")) })
      : apiError(405, "method_not_allowed", `Use ${allowed}`, {}, { Allow: allowed });

export interface CartApiContext<P = unknown> {
  client: StorefrontClient;
  body: unknown;
  tx?: Tx;
  prepared: P;
}

/**
 * Storefront-key authentication, CORS for the key's origins, and refusals as JSON errors, around
 * any Cart API answer.
 */
export async function storefrontCall(request: Request, cartId: string | undefined, answer: (client: StorefrontClient) => Promise<Response>): Promise<Response> {
  const origin = request.headers.get("Origin");
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: corsHeaders(origin) });
  const auth = await authenticateStorefrontKey(request);
  if (!auth.ok) return apiError(auth.status, auth.code, auth.message);
  const cors = corsHeaders(auth.corsOrigin);
  const withCors = (res: Response) => {
    for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
    return res;
  };
  try {
    // A customer's cart answers only to that customer's token.
    if (cartId !== undefined) await requireCartAccess(auth.client.shop, cartId, await requestCustomer(request, auth.client.shop));
    return withCors(await answer(auth.client));
  } catch (thrown) {
    if (thrown instanceof Response) return withCors(thrown);
    if (thrown instanceof CartError) return withCors(apiError(thrown.status, thrown.code, thrown.message));
    const failure = upstreamFailure(thrown);
    if (failure) return withCors(upstreamFailureResponse(failure));
    throw thrown;
  }
}

/**
 * Runs one Cart API call. `prepare` runs first, outside any transaction (network calls for
 * product facts belong there); `handle` returns the answer, and for writes it gets the
 * transaction that also stores the answer of an Idempotency-Key request.
 */
export function cartApi<P>(
  request: Request,
  kind: "read" | "write",
  handle: (ctx: CartApiContext<NoInfer<P>>) => Promise<IdempotentAnswer>,
  prepare?: (ctx: { client: StorefrontClient; body: unknown }) => Promise<P>,
  cartId?: string,
): Promise<Response> {
  return storefrontCall(request, cartId, async (client) => {
    const body =
      kind === "write" && request.method !== "DELETE"
        ? await readJsonBody(request)
        : kind === "write"
          ? await readJsonBody(request, undefined, { emptyAs: {} })
          : undefined;
    const prepared = (prepare ? await prepare({ client, body }) : undefined) as P;
    const key = request.headers.get("Idempotency-Key");
    if (kind === "write" && key !== null) {
      const outcome = await runIdempotent(
        { shop: client.shop, clientId: client.clientId, key },
        { method: request.method, path: new URL(request.url).pathname, body },
        async (tx) => {
          try {
            return await handle({ client, body, tx, prepared });
          } catch (error) {
            // A refusal rolls back and frees the key: a retry is judged afresh.
            if (error instanceof CartError) throw new RefusedAnswer(error);
            throw error;
          }
        },
      ).catch((error) => {
        if (error instanceof RefusedAnswer)
          return {
            kind: "executed" as const,
            answer: { status: error.cause.status, body: { error: { code: error.cause.code, message: error.cause.message } } },
          };
        throw error;
      });
      return idempotencyResponse(outcome);
    }
    const answer = await handle({ client, body, prepared });
    return json(answer.status, answer.body, answer.headers);
  });
}

/** A Cart API read answered with a stream (Server-Sent Events) rather than one JSON body. */
export const cartStreamApi = (request: Request, cartId: string, open: (ctx: { client: StorefrontClient }) => Promise<Response>) =>
  storefrontCall(request, cartId, (client) => open({ client }));

class RefusedAnswer extends Error {
  constructor(readonly cause: CartError) {
    super(cause.message);
  }
}

type CartWrite = (ctx: { shop: string; cartId: string; body: unknown; tx?: Tx; facts: Facts }) => Promise<number | void>;
/** A method's change to the cart, and the reason its totals changed (shown with the new totals). */
export interface CartWriteMethod {
  reason: string;
  run: CartWrite;
}

/**
 * A write to one cart: product facts for its lines (and any variant or code the body names) are
 * read before the transaction; the chosen method's change runs in it and bumps the cart's totals
 * version. In sync mode the answer carries the new totals (stored for that version); in async and
 * events modes it is a 202 with the version to poll for or to wait for on the events stream.
 */
export async function cartWriteApi(request: Request, cartId: string, writes: Partial<Record<string, CartWriteMethod>>): Promise<Response> {
  const afterCommit: (() => Promise<unknown>)[] = [];
  const response = await cartApi<{ facts: Facts; mode: TotalsMode }>(
    request,
    "write",
    async ({ client, body, tx, prepared: { facts, mode } }) => {
      const write = writes[request.method];
      if (!write) return { status: 405, body: { error: { code: "method_not_allowed", message: `Use ${Object.keys(writes).join(" or ")}` } } };
      const shop = client.shop;
      const status = (await write.run({ shop, cartId, body, tx, facts })) ?? 200;
      const version = await bumpTotalsVersion(tx ?? db, shop, cartId, write.reason);
      if (mode === "sync") {
        const view = await cartView(shop, cartId, { client: tx, facts });
        // Stored (and pushed) after the commit, and only when this process has a listener for
        // the cart; a poll or another instance's stream calculates it when it needs it.
        afterCommit.push(() => publishIfWatched(shop, cartId, version, write.reason, view.totals!));
        return { status, body: view };
      }
      afterCommit.push(() => calculateInBackground(shop, cartId));
      const view = await cartView(shop, cartId, { client: tx, facts, totals: false });
      return { status: 202, body: { ...view, totalsUrl: `/api/v1/carts/${cartId}/totals?version=${version}` } };
    },
    async ({ client, body }) => {
      const { variantId, code } = (body ?? {}) as { variantId?: unknown; code?: unknown };
      const mode = await totalsModeOf(request, client.shop);
      return {
        mode,
        facts: await prefetchFacts(client.shop, cartId, {
          variantIds: typeof variantId === "string" ? [variantId] : [],
          codes: typeof code === "string" ? [code] : [],
        }),
      };
    },
    cartId,
  );
  // Only answers that were written get here with hooks; each is a harmless read if the write did not commit.
  for (const hook of afterCommit) void hook().catch((error) => console.error(`totals after a cart write: ${(error as Error).message}`));
  return response;
}
