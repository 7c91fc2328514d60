// Shopify's side of the production server: the embedded admin's pages as documents and as
// data, the checkout UI extension's hold routes, and Shopify's signed webhooks (compliance
// topics, scopes, uninstall), all delivered to `npm start` by the dev store over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../dev-store/server";
import { webhookHmac } from "../dev-store/webhooks";
import { startStack, UA, type Stack } from "./stack";

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => s?.close());

const host = Buffer.from(`${DEFAULT_SHOP}/admin`).toString("base64url");

describe("the embedded admin, served by the production build", () => {
  for (const [path, text] of [
    ["/app", "Holdfast"],
    ["/app/settings", "Hold"],
    ["/app/shipping", "Shipping"],
    ["/app/storefront-keys", "Storefront keys"],
    ["/app/payments", "Payments"],
  ] as const) {
    it(`renders ${path} as a document inside the Shopify admin, with its scripts and the frame-ancestors policy`, async () => {
      const target = new URL(path, s.url);
      for (const [k, v] of Object.entries({ shop: DEFAULT_SHOP, host, embedded: "1", id_token: await s.store.sessionToken(DEFAULT_SHOP) }))
        target.searchParams.set(k, v);
      const res = await fetch(target, { headers: { "User-Agent": UA } });
      const html = await res.text();
      expect(res.status, html.slice(0, 500)).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(res.headers.get("content-security-policy")).toContain(`frame-ancestors https://${DEFAULT_SHOP} https://admin.shopify.com`);
      expect(html).toContain(text);
      // The client build's scripts are linked, and the server serves them.
      const script = /src="(\/build\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeTruthy();
      const asset = await fetch(new URL(script!, s.url));
      expect(asset.status).toBe(200);
      expect(asset.headers.get("cache-control")).toMatch(/immutable/);
    });
  }

  it("answers a page's data and saves a form through Remix's data requests", async () => {
    const settings = await s.adminData("/app/settings", "routes/app.settings");
    expect(settings.status).toBe(200);
    expect((await settings.json()).policy).toEqual({ holdTtlMinutes: 15, holdStrategy: "checkout_start" });
    const saved = await s.adminData("/app/settings", "routes/app.settings", {
      method: "POST",
      body: new URLSearchParams({ holdTtlMinutes: "12", holdStrategy: "hybrid" }),
    });
    expect(saved.status).toBe(200);
    expect((await s.db.shop.findUniqueOrThrow({ where: { domain: DEFAULT_SHOP } })).holdTtlMinutes).toBe(12);
    const refused = await s.adminData("/app/settings", "routes/app.settings", {
      method: "POST",
      body: new URLSearchParams({ holdTtlMinutes: "99", holdStrategy: "hybrid" }),
    });
    expect(refused.status).toBe(422);
  });

  it("refuses a page's data without a session token", async () => {
    const res = await fetch(`${s.url}/app/settings?_data=routes%2Fapp.settings&shop=${DEFAULT_SHOP}&embedded=1`, {
      headers: { "User-Agent": UA, Authorization: "Bearer not-a-token" },
    });
    expect(res.status).toBe(401);
  });
});

describe("the checkout UI extension's hold routes", () => {
  const call = async (method: string, path: string, body?: unknown) => {
    const token = await s.store.sessionToken(DEFAULT_SHOP, { surface: "checkout" });
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: { "Content-Type": "application/json", "User-Agent": UA, Origin: "https://extensions.shopifycdn.com", Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };

  it("answers the preflight, then holds, reads and releases a checkout's stock", async () => {
    const preflight = await fetch(`${s.url}/api/checkout/holds`, {
      method: "OPTIONS",
      headers: { "User-Agent": UA, Origin: "https://extensions.shopifycdn.com", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    const { catalog } = s.store.shop();
    const v = catalog.variants.find((x) => catalog.levels.some((l) => l.inventoryItemId === x.inventoryItemId && l.quantities.available >= 2))!;
    const created = await call("POST", "/api/checkout/holds", {
      checkoutToken: "co_e2e",
      lines: [{ variantId: `gid://shopify/ProductVariant/${v.id}`, quantity: 2 }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.headers.get("access-control-allow-origin")).toBe("*");
    expect(created.body.hold).toMatchObject({ state: "held", owner: { type: "checkout", id: "co_e2e" } });
    const read = await call("GET", "/api/checkout/holds/co_e2e");
    expect(read.body.hold.id).toBe(created.body.hold.id);
    const released = await call("DELETE", "/api/checkout/holds/co_e2e");
    expect(released.body.hold.state).toBe("released");
    const bad = await call("POST", "/api/checkout/holds", { checkoutToken: "co_e2e\u0000", lines: [] });
    expect(bad.status).toBe(400);
  });

  it("holds the same checkout once when the extension asks many times at once", async () => {
    const { catalog } = s.store.shop();
    const v = catalog.variants.filter((x) => catalog.levels.some((l) => l.inventoryItemId === x.inventoryItemId && l.quantities.available >= 3))[1];
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        call("POST", "/api/checkout/holds", { checkoutToken: "co_many", lines: [{ variantId: `gid://shopify/ProductVariant/${v.id}`, quantity: 1 }] }),
      ),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBeLessThan(500);
    const ids = new Set(answers.filter((a) => a.status === 200).map((a) => a.body.hold.id));
    expect(ids.size).toBe(1);
    expect(await s.db.hold.count({ where: { ownerId: "co_many", state: { in: ["held", "extended"] } } })).toBe(1);
  });
});

describe("Shopify's webhooks", () => {
  const deliver = (path: string, topic: string, payload: unknown, secret = s.env.SHOPIFY_API_SECRET) => {
    const body = JSON.stringify(payload);
    return fetch(`${s.url}${path}`, {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": DEFAULT_SHOP,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": crypto.randomUUID(),
        "X-Shopify-Event-Id": crypto.randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-Hmac-Sha256": webhookHmac(body, secret),
      },
    });
  };

  it("a forged HMAC is a 401 and changes nothing", async () => {
    const before = await s.db.webhookEvent.count();
    expect((await deliver("/webhooks/app/uninstalled", "app/uninstalled", { id: 1 }, "wrong-secret")).status).toBe(401);
    expect(await s.db.webhookEvent.count()).toBe(before);
  });

  it("compliance and scope topics from the dev store are processed once each", async () => {
    const [request] = await s.store.sendWebhook(DEFAULT_SHOP, "customers/data_request", {
      shop_id: 1,
      shop_domain: DEFAULT_SHOP,
      orders_requested: [1],
      customer: { id: 42, email: "ann@example.com", phone: null },
      data_request: { id: 7001 },
    });
    expect(request.attempts.map((a) => a.status)).toEqual([200]);
    expect(await s.db.customerDataRequest.count({ where: { dataRequestId: "7001" } })).toBe(1);
    const [redact] = await s.store.sendWebhook(DEFAULT_SHOP, "customers/redact", {
      shop_domain: DEFAULT_SHOP,
      customer: { id: 42, email: "ann@example.com" },
      orders_to_redact: [],
    });
    expect(redact.attempts.map((a) => a.status)).toEqual([200]);
    expect(await s.db.customerDataRequest.count({ where: { dataRequestId: "7001" } })).toBe(0);
    const [scopes] = await s.store.sendWebhook(DEFAULT_SHOP, "app/scopes_update", {
      id: 1,
      previous: ["read_products"],
      current: ["read_products", "write_inventory"],
      updated_at: new Date().toISOString(),
    });
    expect(scopes.attempts.map((a) => a.status)).toEqual([200]);
  });

  it("an uninstall from the dev store ends the shop's sessions", async () => {
    const [delivery] = await s.store.uninstall(DEFAULT_SHOP);
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(await s.db.session.count({ where: { shop: DEFAULT_SHOP } })).toBe(0);
  });
});
