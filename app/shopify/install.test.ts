import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { SHOPIFY_API_VERSION } from "./api-version";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, "second-shop.myshopify.com"] });
});
afterAll(async () => t?.close());

describe("install", () => {
  it("through token exchange: the first admin request exchanges the session token for an expiring offline token", async () => {
    expect(await t.db.session.count()).toBe(0);
    await t.install(DEFAULT_SHOP);

    const session = await t.db.session.findUnique({ where: { id: `offline_${DEFAULT_SHOP}` } });
    expect(session).toMatchObject({ shop: DEFAULT_SHOP, isOnline: false });
    expect(session?.accessToken).toMatch(/^shpat_/);
    // Expiring offline tokens: an expiry and a refresh token are stored.
    expect(session?.expires?.getTime()).toBeGreaterThan(Date.now());
    expect(session?.refreshToken).toMatch(/^shprt_/);
    expect(t.store.state.authorize(DEFAULT_SHOP, session!.accessToken)).toBeDefined();

    const shop = await t.db.shop.findUnique({ where: { domain: DEFAULT_SHOP } });
    expect(shop?.installedAt).toBeInstanceOf(Date);
    expect(shop?.uninstalledAt).toBeNull();
    expect(shop?.scopes).toBe(
      "read_products,read_inventory,write_inventory,read_locations,read_orders,read_discounts,write_orders,unauthenticated_read_product_listings,unauthenticated_read_customers,unauthenticated_write_checkouts,write_validations,read_themes",
    );
  });

  it("rejects a session token signed with another secret and stores nothing", async () => {
    const { mintSessionToken } = await import("../../test/dev-store/session-tokens");
    const forged = await mintSessionToken({ apiKey: t.apiKey, apiSecret: "not-the-secret", shop: "second-shop.myshopify.com" });
    const url = new URL("/app", t.url);
    for (const [k, v] of Object.entries({
      shop: "second-shop.myshopify.com",
      host: Buffer.from("second-shop.myshopify.com/admin").toString("base64url"),
      embedded: "1",
      id_token: forged,
    }))
      url.searchParams.set(k, v);
    const res = await fetch(url, { headers: { "User-Agent": "Mozilla/5.0 (Holdfast tests)" }, redirect: "manual" });
    expect(res.status).not.toBe(200);
    expect(await t.db.session.count({ where: { shop: "second-shop.myshopify.com" } })).toBe(0);
  });

  it("through OAuth: the authorization-code grant against the dev store yields a stored offline session", async () => {
    const shop = "second-shop.myshopify.com";
    // The library's own OAuth (what a non-embedded install uses), configured as the app is.
    const api = shopifyApi({
      apiKey: t.apiKey,
      apiSecretKey: t.apiSecret,
      apiVersion: SHOPIFY_API_VERSION,
      hostName: new URL(t.url).host,
      hostScheme: "http",
      isEmbeddedApp: true,
      scopes: ["read_products"],
      logger: { level: LogSeverity.Error },
    });
    const begin = (await api.auth.begin({
      shop,
      callbackPath: "/auth/callback",
      isOnline: false,
      rawRequest: new Request(`${t.url}/auth?shop=${shop}`),
    })) as Response;
    expect(begin.status).toBe(302);
    const authorizeUrl = new URL(begin.headers.get("location")!);
    expect(authorizeUrl.host).toBe(shop);
    expect(authorizeUrl.pathname).toBe("/admin/oauth/authorize");
    const cookies = begin.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

    // The merchant approves in the dev store, which redirects back with a signed code.
    const { devStoreUrlFor } = await import("./dev-store-routing.server");
    const approve = await fetch(devStoreUrlFor(t.store.url, authorizeUrl)!, { redirect: "manual" });
    expect(approve.status).toBe(302);
    const callbackUrl = approve.headers.get("location")!;
    expect(callbackUrl.startsWith(`${t.url}/auth/callback?`)).toBe(true);

    const { session } = await api.auth.callback({ rawRequest: new Request(callbackUrl, { headers: { Cookie: cookies } }) });
    expect(session.shop).toBe(shop);
    expect(session.accessToken).toMatch(/^shpat_/);
    await t.shopify.sessionStorage.storeSession(session);
    expect(await t.db.session.count({ where: { shop } })).toBe(1);

    // A tampered callback (wrong HMAC) is refused.
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set("hmac", "0".repeat(64));
    await expect(api.auth.callback({ rawRequest: new Request(tampered, { headers: { Cookie: cookies } }) })).rejects.toThrow();
  });
});

describe("checkout UI extension session tokens", () => {
  it("authenticate.public.checkout accepts a dev-store checkout token and refuses a forged one", async () => {
    const token = await t.store.sessionToken(DEFAULT_SHOP, { surface: "checkout" });
    const request = (bearer: string) =>
      new Request(`${t.url}/api/checkout/probe`, {
        method: "POST",
        headers: { Authorization: `Bearer ${bearer}`, Origin: "https://extensions.shopifycdn.com" },
      });
    const { sessionToken, cors } = await t.shopify.authenticate.public.checkout(request(token));
    expect(sessionToken.dest).toBe(DEFAULT_SHOP);
    expect(sessionToken.aud).toBe(t.apiKey);
    expect(cors(new Response()).headers.get("Access-Control-Allow-Origin")).toBe("*");

    const { mintSessionToken } = await import("../../test/dev-store/session-tokens");
    const forged = await mintSessionToken({ apiKey: t.apiKey, apiSecret: "wrong", shop: DEFAULT_SHOP, surface: "checkout" });
    const refused = await t.shopify.authenticate.public.checkout(request(forged)).catch((r: unknown) => r);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(401);
  });
});
