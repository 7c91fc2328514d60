// The local Shopify dev store: a real HTTP server that the real Shopify libraries talk to.
// Test and demo infrastructure only; the app reaches it through SHOPIFY_DEV_STORE_URL.
//
//   /shops/<shop>/admin/oauth/authorize        authorization-code grant (auto-approved)
//   /shops/<shop>/admin/oauth/access_token     code, token-exchange and refresh grants
//   /shops/<shop>/admin/api/2026-10/graphql.json   Admin GraphQL (cost-limited)
//   /shops/<shop>/api/2026-10/graphql.json         Storefront GraphQL
//   /shops/<shop>/cart.js, /cart/*.js               the Online Store's AJAX cart (cookie `cart`)
//   /shops/<shop>/checkouts…                        Shopify's checkout, with the app's validations (checkout.ts)
//   /shops/<shop>/apps/<subpath>/…                  the app proxy
//   /_dev/...                                   controls for tests and the demo
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { execute, type GraphQLSchema } from "graphql";
import { shopifySchema } from "./schemas";
import { parseAndValidate, requestedQueryCost, selectOperation } from "./graphql-support";
import { adminRoot } from "./admin";
import { storefrontRoot } from "./storefront";
import { orderWebhookPayload } from "./orders";
import { DevStoreState, type AppRegistration, type ShopState, type StoreOptions } from "./store";
import { mintSessionToken, verifySessionToken } from "./session-tokens";
import { WebhookSender, type Delivery } from "./webhooks";
import { forwardThroughProxy, proxiedUrl } from "./app-proxy";
import { CheckoutError, CheckoutModel, storefrontCartResolvers } from "./checkout";
import { createThemeRenderer, embedType } from "./theme";
import { readFile } from "node:fs/promises";
import { join as joinPath } from "node:path";

export const API_VERSION = "2026-10";
export const DEFAULT_SHOP = "holdfast-dev.myshopify.com";
const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

/** A fault on matching paths: delay, answer an error status, never answer, or (dropResponse) do the work and then answer 502. */
export interface Fault {
  path: string;
  bodyPattern?: string;
  latencyMs?: number;
  status?: number;
  timeout?: boolean;
  dropResponse?: boolean;
  times?: number;
}

export interface DevStoreOptions extends StoreOptions {
  app: AppRegistration;
  port?: number;
  host?: string;
  shops?: string[];
  webhookRetryDelaysMs?: number[];
  log?: (line: string) => void;
  /** Called after an Admin API request has done its work and before its answer is sent (crash tests kill the app here). */
  onApplied?: (request: { shop: string; path: string; body: string }) => Promise<void> | void;
}

export interface DevStore {
  url: string;
  state: DevStoreState;
  webhooks: WebhookSender;
  faults: Fault[];
  /** The Online Store's carts and Shopify's checkout, with the app's validation Functions. */
  checkout: CheckoutModel;
  /** Holds back deliveries of a topic (ms), to choose which of two webhooks arrives first. */
  webhookDelays: Map<string, number>;
  shop(domain?: string): ShopState;
  sessionToken(shop?: string, opts?: { ttlSeconds?: number; surface?: "admin" | "checkout"; userId?: number }): Promise<string>;
  sendWebhook(shop: string, topic: string, payload: unknown): Promise<Delivery[]>;
  uninstall(shop: string): Promise<Delivery[]>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    public status: number,
    public body: unknown,
  ) {
    super(typeof body === "string" ? body : JSON.stringify(body));
  }
}

async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, { errors: "Request body too large" });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseParams(req: IncomingMessage, raw: string): Record<string, string> {
  if (!raw) return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new HttpError(400, { errors: "Invalid JSON" });
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/plain" : "application/json", ...headers });
  res.end(text);
}

/** Shopify's query-string HMAC: hex SHA-256 over the sorted params other than hmac. */
export function queryHmac(params: Record<string, string>, secret: string): string {
  const message = Object.keys(params)
    .filter((k) => k !== "hmac" && k !== "signature")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export async function startDevStore(options: DevStoreOptions): Promise<DevStore> {
  const log = options.log ?? (() => {});
  const state = new DevStoreState(options.app, {
    bucketSize: options.bucketSize ?? 1000,
    // Shopify's Standard plan: 100 points a second (shopify.dev, "GraphQL Admin API rate limits").
    restoreRate: options.restoreRate ?? 100,
    seed: options.seed ?? 1,
    productCount: options.productCount ?? 30,
  });
  for (const shop of options.shops ?? [DEFAULT_SHOP]) state.addShop(shop);
  const webhooks = new WebhookSender({
    apiSecret: options.app.apiSecret,
    apiVersion: API_VERSION,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [1000, 5000, 30000],
    timeoutMs: 5000,
  });
  const faults: Fault[] = [];
  const checkout = new CheckoutModel(state, log);
  const theme = createThemeRenderer({ apiKey: options.app.apiKey, assetBase: (shop, extension) => `/shops/${shop}/extensions/${extension}/assets` });
  const webhookDelays = new Map<string, number>();
  state.events.on("orderCreated", (domain: string, order: import("./orders").DevOrder) => {
    void sendWebhook(domain, "orders/create", orderWebhookPayload(order));
  });
  state.events.on("inventoryChanged", (domain: string, levels: import("./catalog").InventoryLevel[]) => {
    for (const level of levels)
      void sendWebhook(domain, "inventory_levels/update", {
        inventory_item_id: level.inventoryItemId,
        location_id: level.locationId,
        available: level.quantities.available,
        updated_at: level.updatedAt,
        admin_graphql_api_id: `gid://shopify/InventoryLevel/${level.locationId}?inventory_item_id=${level.inventoryItemId}`,
      }).catch((error) => log(`inventory_levels/update not sent: ${(error as Error).message}`));
  });
  const admin = shopifySchema("admin");
  const storefront = shopifySchema("storefront");

  const requireShop = (domain: string): ShopState => {
    const shop = state.shop(domain);
    if (!shop) throw new HttpError(404, { errors: "Not Found" });
    return shop;
  };

  const appWebhookTargets = (topic: string) =>
    options.app.webhooks.filter((w) => w.topics.includes(topic)).map((w) => new URL(w.uri, options.app.appUrl).toString());

  async function sendWebhook(domain: string, topic: string, payload: unknown): Promise<Delivery[]> {
    const shop = requireShop(domain);
    const delay = webhookDelays.get(topic);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const uris = new Set(appWebhookTargets(topic));
    if (!COMPLIANCE_TOPICS.has(topic)) for (const s of shop.webhookSubscriptions) if (s.topic === topic.toUpperCase().replace("/", "_")) uris.add(s.uri);
    const deliveries: Delivery[] = [];
    for (const uri of uris) deliveries.push(await webhooks.send(domain, topic, uri, payload));
    log(`webhook ${topic} for ${domain} -> ${[...uris].join(", ") || "(no subscribers)"}`);
    return deliveries;
  }

  async function uninstall(domain: string) {
    const shop = requireShop(domain);
    shop.installedScopes = null;
    state.revokeShopTokens(domain);
    return sendWebhook(domain, "app/uninstalled", {
      id: shop.id,
      name: shop.name,
      email: shop.email,
      domain: shop.domain,
      myshopify_domain: shop.domain,
      currency: shop.currencyCode,
    });
  }

  const install = (shop: ShopState, scope: string) => {
    shop.installedScopes = scope.split(",").filter(Boolean);
  };

  async function oauthAuthorize(shop: ShopState, url: URL, res: ServerResponse) {
    const p = Object.fromEntries(url.searchParams);
    if (p.client_id !== options.app.apiKey) throw new HttpError(400, "Oauth error invalid_request: The client_id is invalid");
    if (!p.redirect_uri || !p.redirect_uri.startsWith(options.app.appUrl))
      throw new HttpError(400, "Oauth error invalid_request: The redirect_uri is not whitelisted");
    const code = randomBytes(16).toString("hex");
    state.authorizationCodes.set(code, { shop: shop.domain, scope: p.scope ?? options.app.scopes.join(","), expiresAt: Date.now() + 60_000 });
    const back: Record<string, string> = {
      code,
      host: Buffer.from(`admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}`).toString("base64url"),
      shop: shop.domain,
      state: p.state ?? "",
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    back.hmac = queryHmac(back, options.app.apiSecret);
    const redirect = new URL(p.redirect_uri);
    for (const [k, v] of Object.entries(back)) redirect.searchParams.set(k, v);
    res.writeHead(302, { Location: redirect.toString() });
    res.end();
  }

  async function oauthAccessToken(shop: ShopState, p: Record<string, string>) {
    const sameSecret = (a: string | undefined, b: string) => !!a && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
    if (p.client_id !== options.app.apiKey || !sameSecret(p.client_secret, options.app.apiSecret))
      throw new HttpError(401, { error: "invalid_client", error_description: "Client credentials are invalid" });
    const scope = options.app.scopes.join(",");
    const expiring = p.expiring === "1";
    const grant = p.grant_type ?? "authorization_code";
    if (grant === "urn:ietf:params:oauth:grant-type:token-exchange") {
      try {
        const { shop: tokenShop, payload } = await verifySessionToken(p.subject_token ?? "", options.app.apiKey, options.app.apiSecret);
        if (tokenShop !== shop.domain) throw new Error("shop mismatch");
        const online = p.requested_token_type === "urn:shopify:params:oauth:token-type:online-access-token";
        install(shop, scope);
        const { token, refresh } = state.issueAccessToken(shop.domain, scope, { expiring, online, userId: Number(payload.sub) });
        return tokenResponse(
          token,
          refresh,
          online
            ? {
                id: Number(payload.sub),
                first_name: "Dev",
                last_name: "Merchant",
                email: shop.email,
                email_verified: true,
                account_owner: true,
                locale: "en",
                collaborator: false,
              }
            : undefined,
        );
      } catch {
        throw new HttpError(400, { error: "invalid_subject_token", error_description: "The subject token is invalid or expired" });
      }
    }
    if (grant === "refresh_token") {
      const refresh = state.refreshTokens.get(p.refresh_token ?? "");
      if (!refresh || refresh.shop !== shop.domain || refresh.expiresAt < Date.now())
        throw new HttpError(400, { error: "invalid_grant", error_description: "The refresh token is invalid or expired" });
      state.refreshTokens.delete(refresh.token);
      const issued = state.issueAccessToken(shop.domain, scope, { expiring: true });
      return tokenResponse(issued.token, issued.refresh);
    }
    if (grant === "authorization_code") {
      const code = state.authorizationCodes.get(p.code ?? "");
      state.authorizationCodes.delete(p.code ?? "");
      if (!code || code.shop !== shop.domain || code.expiresAt < Date.now())
        throw new HttpError(400, { error: "invalid_request", error_description: "The authorization code was not found or was already used" });
      install(shop, code.scope);
      const issued = state.issueAccessToken(shop.domain, code.scope, { expiring });
      return tokenResponse(issued.token, issued.refresh);
    }
    throw new HttpError(400, { error: "unsupported_grant_type" });
  }

  function tokenResponse(
    token: { token: string; scope: string; expiresAt: number | null },
    refresh?: { token: string; expiresAt: number },
    associatedUser?: Record<string, unknown>,
  ) {
    const seconds = (at: number) => Math.max(0, Math.floor((at - Date.now()) / 1000));
    return {
      access_token: token.token,
      scope: token.scope,
      ...(token.expiresAt !== null && { expires_in: seconds(token.expiresAt) }),
      ...(refresh && { refresh_token: refresh.token, refresh_token_expires_in: seconds(refresh.expiresAt) }),
      ...(associatedUser && { associated_user_scope: token.scope, associated_user: associatedUser }),
    };
  }

  async function runGraphQL(schema: GraphQLSchema, rootValue: object, raw: string, shop: ShopState, costed: boolean) {
    let body: { query?: unknown; variables?: Record<string, unknown>; operationName?: string };
    try {
      body = JSON.parse(raw || "{}");
    } catch {
      throw new HttpError(400, { errors: { query: "Required parameter missing or invalid" } });
    }
    if (typeof body.query !== "string" || !body.query.trim()) throw new HttpError(400, { errors: { query: "Required parameter missing or invalid" } });
    const { document, errors } = parseAndValidate(schema, body.query);
    if (!document) return { errors };
    const op = selectOperation(document, body.operationName);
    if (!op) return { errors: [{ message: "No operation named " + body.operationName, extensions: { code: "invalidQuery" } }] };
    const variables = body.variables ?? {};
    let extensions: Record<string, unknown> | undefined;
    if (costed) {
      const cost = requestedQueryCost(schema, document, op, variables);
      if (cost > shop.bucket.maximum)
        return {
          errors: [
            {
              message: `Query cost is ${cost}, which exceeds the single query max cost limit (${shop.bucket.maximum}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: shop.bucket.maximum },
            },
          ],
        };
      if (!shop.bucket.take(cost))
        return {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
        };
      extensions = { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: shop.bucket.status() } };
    }
    const result = await execute({ schema, document, rootValue, variableValues: variables, operationName: body.operationName });
    return {
      ...(result.data !== undefined && { data: result.data }),
      ...(result.errors?.length && {
        errors: result.errors.map((e) => ({ message: e.message, locations: e.locations, path: e.path, extensions: e.extensions })),
      }),
      ...(extensions && { extensions }),
    };
  }

  /** Faults before the work: by path alone, or (given the request body) by path and body. */
  async function applyFaults(path: string, res: ServerResponse, body?: string): Promise<boolean> {
    const fault = faults.find(
      (f) =>
        new RegExp(f.path).test(path) &&
        (f.times === undefined || f.times > 0) &&
        !f.dropResponse &&
        (body === undefined ? !f.bodyPattern : Boolean(f.bodyPattern) && new RegExp(f.bodyPattern!).test(body)),
    );
    if (!fault) return false;
    if (fault.times !== undefined) fault.times--;
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.timeout) return true; // never answer: the client's timeout fires
    if (fault.status) {
      send(res, fault.status, { errors: "Internal Server Error (injected by the dev store)" });
      return true;
    }
    return false;
  }

  async function handleControl(req: IncomingMessage, url: URL, res: ServerResponse) {
    const p = req.method === "POST" ? (parseParams(req, await readBody(req)) as Record<string, any>) : {}; // eslint-disable-line @typescript-eslint/no-explicit-any
    const path = url.pathname.slice("/_dev".length);
    if (path === "/health") return send(res, 200, { ok: true, shops: [...state.shops.keys()] });
    if (path === "/shops" && req.method === "POST") {
      const shop = state.addShop(String(p.domain));
      return send(res, 201, { domain: shop.domain });
    }
    if (path === "/session-token" && req.method === "POST") {
      return send(res, 200, { token: await sessionToken(p.shop, { ttlSeconds: p.ttlSeconds, surface: p.surface, userId: p.userId }) });
    }
    if (path === "/webhooks" && req.method === "POST") {
      const deliveries = await sendWebhook(String(p.shop), String(p.topic), p.payload ?? {});
      return send(res, 200, { deliveries: deliveries.map(summarize) });
    }
    if (path === "/webhooks/deliveries") return send(res, 200, { deliveries: webhooks.deliveries.map(summarize) });
    let m = /^\/shops\/([^/]+)\/uninstall$/.exec(path);
    if (m && req.method === "POST") return send(res, 200, { deliveries: (await uninstall(m[1])).map(summarize) });
    m = /^\/shops\/([^/]+)\/inventory$/.exec(path);
    if (m) return send(res, 200, { levels: requireShop(m[1]).catalog.levels });
    if (path === "/faults" && req.method === "POST") {
      faults.push({
        path: String(p.path),
        latencyMs: p.latencyMs,
        status: p.status,
        timeout: p.timeout,
        dropResponse: p.dropResponse,
        bodyPattern: p.bodyPattern,
        times: p.times,
      });
      return send(res, 201, { faults });
    }
    if (path === "/faults" && req.method === "DELETE") {
      faults.length = 0;
      return send(res, 200, { faults });
    }
    m = /^\/shops\/([^/]+)\/stock$/.exec(path);
    if (m && req.method === "POST") {
      // Sets a variant's stock (a demo's or test's scarce item): `available` at its first location, none elsewhere.
      const shop = requireShop(m[1]);
      const variant = shop.catalog.variants.find((v) => v.id === Number(String(p.variantId).split("/").pop()));
      if (!variant) throw new HttpError(404, { errors: "No such variant" });
      const levels = shop.catalog.levels.filter((l) => l.inventoryItemId === variant.inventoryItemId);
      levels.forEach((l, i) => {
        l.quantities.available = i === 0 ? Number(p.available) : 0;
        l.updatedAt = new Date().toISOString();
      });
      state.events.emit("inventoryChanged", shop.domain, levels);
      return send(res, 200, { variantId: variant.id, levels });
    }
    m = /^\/shops\/([^/]+)\/theme\/app-embeds$/.exec(path);
    if (m && req.method === "POST") {
      // The merchant switching an app embed on or off in the theme editor (settings_data.json).
      const shop = requireShop(m[1]);
      const embed = theme.embeds.find((e) => e.block === String(p.block));
      if (!embed) throw new HttpError(404, { errors: "No such app embed" });
      shop.themeSettingsData.current.blocks[`app-embed-${embed.block}`] = {
        type: embedType(options.app.apiKey, embed),
        disabled: Boolean(p.disabled),
        settings: (p.settings as Record<string, unknown>) ?? {},
      };
      return send(res, 200, shop.themeSettingsData);
    }
    if (path === "/throttle" && req.method === "POST") {
      const shop = requireShop(String(p.shop ?? DEFAULT_SHOP));
      if (p.bucketSize) shop.bucket.maximum = Number(p.bucketSize);
      if (p.restoreRate) shop.bucket.restoreRate = Number(p.restoreRate);
      if (p.drain) shop.bucket.drain();
      return send(res, 200, shop.bucket.status());
    }
    throw new HttpError(404, { errors: "Not Found" });
  }

  /** The Online Store's pages: the cart (the theme, with the app's embeds), the checkout page, the extensions' assets. */
  async function onlineStore(shop: ShopState, req: IncomingMessage, path: string, res: ServerResponse) {
    const root = `/shops/${shop.domain}`;
    const cookie = /(?:^|;\s*)cart=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const asset = /^\/extensions\/([\w-]+)\/assets\/([\w.-]+\.(js|css))$/.exec(path);
    if (asset && req.method === "GET") {
      const text = await readFile(joinPath(process.cwd(), "extensions", asset[1], "assets", asset[2]), "utf8").catch(() => null);
      if (text === null) throw new HttpError(404, { errors: "Not Found" });
      res.writeHead(200, { "Content-Type": asset[3] === "js" ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8", "Cache-Control": "no-cache" });
      return res.end(text);
    }
    const html = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...headers });
      res.end(body);
    };
    /** A checkout made from the cart, and the shopper sent to it (back to the cart when it is empty). */
    const toCheckout = (cartToken: string | undefined) => {
      try {
        return html(302, "", { Location: `${root}/checkouts/${checkout.createCheckout(shop, cartToken).token}` });
      } catch (error) {
        if (error instanceof CheckoutError) return html(302, "", { Location: `${root}/cart` });
        throw error;
      }
    };
    if (path === "/cart" && req.method === "GET") {
      const cart = checkout.cart(shop, cookie);
      return html(200, await theme.render(shop, "cart", { cart: checkout.cartJson(shop, cart), root }));
    }
    if (path === "/cart" && req.method === "POST") {
      // The cart form: quantities (updates[]) and, with the checkout button, on to Shopify's checkout.
      const form = new URLSearchParams(await readBody(req));
      const cart = checkout.cart(shop, cookie);
      if (cart)
        form
          .getAll("updates[]")
          .forEach((q, i) => cart.lines[i] && Number.isInteger(Number(q)) && checkout.change(shop, cookie, { line: i + 1, quantity: Number(q) }));
      if (!form.has("checkout")) return html(302, "", { Location: `${root}/cart` });
      return toCheckout(cookie);
    }
    // A Storefront API cart's checkoutUrl: Shopify makes the checkout and sends the shopper there.
    const fromCart = /^\/cart\/c\/([\w-]+)$/.exec(path)?.[1];
    if (fromCart && req.method === "GET") return toCheckout(fromCart);
    const token = /^\/checkouts\/([\w-]+)$/.exec(path)?.[1];
    if (token && req.method === "GET") {
      const current = checkout.checkout(shop, token);
      const lines = checkout.cartJson(shop, checkout.cartOf(shop, current)).items;
      const errors = current.completedAt ? [] : await checkout.validate(shop, checkout.cartOf(shop, current), "CHECKOUT_INTERACTION");
      const esc = (t: string) => t.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
      return html(
        200,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Checkout – ${esc(shop.name)}</title></head>` +
          `<body style="font-family:system-ui,sans-serif;margin:0 auto;max-width:640px;padding:24px"><main><h1>Checkout</h1><ul>` +
          lines.map((l) => `<li>${esc(l.title)} × ${l.quantity}</li>`).join("") +
          `</ul>${errors.map((e) => `<p role="alert">${esc(e.message)}</p>`).join("")}<p data-checkout-token="${esc(current.token)}">Checkout ${esc(current.token)}</p></main></body></html>`,
      );
    }
    throw new HttpError(404, { errors: "Not Found" });
  }

  /** The Online Store's AJAX cart and Shopify's checkout (checkout.ts), over HTTP. */
  async function storefrontCheckout(shop: ShopState, req: IncomingMessage, path: string, res: ServerResponse) {
    const cookie = /(?:^|;\s*)cart=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    const body = req.method === "POST" ? (parseParams(req, await readBody(req)) as Record<string, any>) : {}; // eslint-disable-line @typescript-eslint/no-explicit-any
    const withCart = (cart: import("./checkout").DevCart) =>
      send(res, 200, checkout.cartJson(shop, cart), { "Set-Cookie": `cart=${cart.token}; Path=/; SameSite=Lax` });
    try {
      if (path === "/cart.js" && req.method === "GET") return send(res, 200, checkout.cartJson(shop, checkout.cart(shop, cookie)));
      if (req.method === "POST" && path === "/cart/add.js") return withCart(checkout.add(shop, cookie, body));
      if (req.method === "POST" && path === "/cart/change.js") return withCart(checkout.change(shop, cookie, body));
      if (req.method === "POST" && path === "/cart/update.js") return withCart(checkout.update(shop, cookie, body));
      if (req.method === "POST" && path === "/checkouts") {
        const created = checkout.createCheckout(shop, body.cart_token ?? cookie);
        return send(res, 201, { checkout: { token: created.token, cart_token: created.cartToken } });
      }
      const m = /^\/checkouts\/([\w-]+)(\.json|\/metafields|\/continue|\/complete)$/.exec(path);
      if (!m) throw new HttpError(404, { errors: "Not Found" });
      const [, token, action] = m;
      const current = checkout.checkout(shop, token);
      if (action === ".json" && req.method === "GET") {
        // The checkout page: its lines, and what the validations say while the shopper fills it in.
        const cart = checkout.cartOf(shop, current);
        const errors = current.completedAt ? [] : await checkout.validate(shop, cart, "CHECKOUT_INTERACTION");
        return send(res, 200, {
          checkout: {
            token: current.token,
            cart_token: current.cartToken,
            step: current.step,
            completed_at: current.completedAt,
            order_id: current.orderId,
            lines: checkout.checkoutLines(shop, current),
            // What the app's checkout extension reads as `shopify.appMetafields` (cart target, `$app`).
            app_metafields: [...cart.metafields.values()]
              .filter((m) => m.namespace === checkout.appNamespace())
              .map((m) => ({
                target: { type: "cart", id: `gid://shopify/Cart/${cart.token}` },
                metafield: { namespace: "$app", key: m.key, value: m.value, type: m.type },
              })),
            errors,
          },
        });
      }
      if (action === "/metafields" && req.method === "POST") {
        // The app's checkout UI extension calling applyMetafieldChange: it runs as the app, with
        // a checkout session token Shopify signed for it.
        const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
        const verified = bearer ? await verifySessionToken(bearer, options.app.apiKey, options.app.apiSecret).catch(() => null) : null;
        if (!verified || verified.shop !== shop.domain) throw new HttpError(401, { errors: "Only the app's extension can change its cart metafields" });
        const result = checkout.setAppMetafield(checkout.cartOf(shop, current), body as never);
        return send(res, result.type === "success" ? 200 : 422, result);
      }
      if (action === "/continue" && req.method === "POST") return send(res, 200, { step: (await checkout.continue(shop, token)).step });
      if (action === "/complete" && req.method === "POST") {
        const { order } = await checkout.complete(shop, token, { email: body.email });
        return send(res, 200, { order: { id: order.id, name: order.name, admin_graphql_api_id: `gid://shopify/Order/${order.id}` } });
      }
      throw new HttpError(405, { errors: "Method Not Allowed" });
    } catch (error) {
      if (error instanceof CheckoutError) return send(res, error.status, error.body);
      throw error;
    }
  }

  const summarize = (d: Delivery) => ({ webhookId: d.webhookId, topic: d.topic, shop: d.shop, uri: d.uri, delivered: d.delivered, attempts: d.attempts });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://dev-store");
    if (url.pathname.startsWith("/_dev/")) return handleControl(req, url, res);
    const m = /^\/shops\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/.*)$/.exec(url.pathname);
    if (!m) throw new HttpError(404, { errors: "Not Found" });
    const [, domain, path] = m;
    if (await applyFaults(path, res)) return;
    const shop = requireShop(domain);

    const proxy = state.app.appProxy;
    const proxyPrefix = proxy && `/${proxy.prefix}/${proxy.subpath}`;
    if (proxy && proxyPrefix && (path === proxyPrefix || path.startsWith(`${proxyPrefix}/`))) {
      // The shop's storefront forwarding to the app (only where the app is installed, as Shopify does).
      if (!shop.installedScopes) throw new HttpError(404, { errors: "Not Found" });
      const target = proxiedUrl({
        appUrl: state.app.appUrl,
        proxy,
        secret: state.app.apiSecret,
        shop: domain,
        rest: path.slice(proxyPrefix.length),
        query: url.searchParams,
      });
      return forwardThroughProxy(req, res, target, await readBody(req));
    }
    if (path === "/cart" || /^\/cart\/c\/[\w-]+$/.test(path) || /^\/checkouts\/[\w-]+$/.test(path) || path.startsWith("/extensions/"))
      return onlineStore(shop, req, path, res);
    if (path === "/cart.js" || path.startsWith("/cart/") || path.startsWith("/checkouts")) return storefrontCheckout(shop, req, path, res);
    if (path === "/admin/oauth/authorize" && req.method === "GET") return oauthAuthorize(shop, url, res);
    if (path === "/admin/oauth/access_token" && req.method === "POST") {
      return send(res, 200, await oauthAccessToken(shop, parseParams(req, await readBody(req))));
    }
    const api = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (api && req.method === "POST") {
      if (api[1] !== API_VERSION) throw new HttpError(404, { errors: "Not Found" });
      const presented = req.headers["x-shopify-access-token"];
      const token = state.authorize(domain, typeof presented === "string" ? presented : null);
      if (!token) throw new HttpError(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
      const body = await readBody(req);
      if (await applyFaults(path, res, body)) return;
      const result = await runGraphQL(admin, adminRoot(state, shop, token.scope.split(",")), body, shop, true);
      await options.onApplied?.({ shop: domain, path, body });
      const drop = faults.find(
        (f) =>
          f.dropResponse && new RegExp(f.path).test(path) && (!f.bodyPattern || new RegExp(f.bodyPattern).test(body)) && (f.times === undefined || f.times > 0),
      );
      if (drop) {
        if (drop.times !== undefined) drop.times--;
        return send(res, 502, { errors: "Bad Gateway (response dropped by the dev store after doing the work)" });
      }
      return send(res, 200, result);
    }
    const sf = /^\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (sf && req.method === "POST") {
      if (sf[1] !== API_VERSION) throw new HttpError(404, { errors: "Not Found" });
      // A public storefront token the shop created, or an app's access token used as a private
      // token (it needs the unauthenticated_read_product_listings scope).
      const publicToken = req.headers["x-shopify-storefront-access-token"];
      const privateToken = req.headers["shopify-storefront-private-token"];
      const app = typeof privateToken === "string" ? state.authorize(domain, privateToken) : undefined;
      const allowed =
        (typeof publicToken === "string" && shop.storefrontTokens.has(publicToken)) ||
        Boolean(app?.scope.split(",").includes("unauthenticated_read_product_listings"));
      if (!allowed) throw new HttpError(401, { errors: [{ message: "", extensions: { code: "UNAUTHORIZED" } }] });
      const granted = app
        ? app.scope.split(",")
        : ["unauthenticated_read_product_listings", "unauthenticated_read_customers", "unauthenticated_write_customers"];
      const root = { ...storefrontRoot(shop, granted), ...storefrontCartResolvers(checkout, shop, { byApp: Boolean(app), granted }) };
      return send(res, 200, await runGraphQL(storefront, root, await readBody(req), shop, false));
    }
    throw new HttpError(404, { errors: "Not Found" });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (error instanceof HttpError) return send(res, error.status, error.body);
      log(`dev store error: ${(error as Error).stack}`);
      send(res, 500, { errors: "Internal Server Error" });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;

  async function sessionToken(shop = DEFAULT_SHOP, o: { ttlSeconds?: number; surface?: "admin" | "checkout"; userId?: number } = {}) {
    requireShop(shop);
    return mintSessionToken({ apiKey: options.app.apiKey, apiSecret: options.app.apiSecret, shop, ...o });
  }

  return {
    url,
    state,
    webhooks,
    faults,
    checkout,
    webhookDelays,
    shop: (domain = DEFAULT_SHOP) => requireShop(domain),
    sessionToken,
    sendWebhook,
    uninstall,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
