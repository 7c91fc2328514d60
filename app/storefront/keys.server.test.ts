import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";

const OTHER = "other-shop.myshopify.com";
let t: TestApp;
let keys: typeof import("./keys.server");
beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, OTHER] });
  await t.install(DEFAULT_SHOP);
  await t.install(OTHER);
  keys = await import("./keys.server");
});
afterAll(async () => t?.close());

const page = (fields: Record<string, string>, shop = DEFAULT_SHOP) =>
  t.adminFetch("/app/storefront-keys", { method: "POST", body: new URLSearchParams(fields), shop });
const asStorefront = (secret: string | null, origin?: string) =>
  new Request("https://holdfast.example.com/api/v1/carts", {
    headers: { ...(secret ? { [keys.STOREFRONT_KEY_HEADER]: secret } : {}), ...(origin ? { Origin: origin } : {}) },
  });

describe("storefront keys", () => {
  it("are created in the admin, shown once, and stored only as a hash", async () => {
    const res = await page({ intent: "create", name: "Hydrogen store", allowedOrigins: "https://shop.example.com\nhttp://localhost:3000" });
    expect(res.status).toBe(201);
    const { secret } = await res.json();
    expect(secret).toMatch(/^hfsk_[a-f0-9]{12}_/);
    const rows = await t.db.storefrontKey.findMany();
    expect(JSON.stringify(rows)).not.toContain(secret);
    const listed = await (await t.adminFetch("/app/storefront-keys")).json();
    expect(listed.keys).toEqual([
      expect.objectContaining({ name: "Hydrogen store", allowedOrigins: ["https://shop.example.com", "http://localhost:3000"], revokedAt: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const auth = await keys.authenticateStorefrontKey(asStorefront(secret, "https://shop.example.com"));
    expect(auth).toMatchObject({ ok: true, client: { shop: DEFAULT_SHOP }, corsOrigin: "https://shop.example.com" });
    expect(keys.corsHeaders("https://shop.example.com")["Access-Control-Allow-Origin"]).toBe("https://shop.example.com");
  });

  it("refuse a missing or unknown key (401) and a browser origin not listed (403)", async () => {
    const { secret } = await keys.createStorefrontKey(DEFAULT_SHOP, { name: "server", allowedOrigins: [] });
    expect(await keys.authenticateStorefrontKey(asStorefront(null))).toMatchObject({ ok: false, status: 401, code: "missing_storefront_key" });
    expect(await keys.authenticateStorefrontKey(asStorefront(secret.slice(0, -2) + "zz"))).toMatchObject({
      ok: false,
      status: 401,
      code: "invalid_storefront_key",
    });
    expect(await keys.authenticateStorefrontKey(asStorefront(secret, "https://evil.example.com"))).toMatchObject({
      ok: false,
      status: 403,
      code: "origin_not_allowed",
    });
    expect(await keys.authenticateStorefrontKey(asStorefront(secret))).toMatchObject({ ok: true, corsOrigin: null });
  });

  it("rotate (the old secret stops at once) and revoke", async () => {
    const { key, secret } = await keys.createStorefrontKey(DEFAULT_SHOP, { name: "rotating", allowedOrigins: [] });
    const rotated = await (await page({ intent: "rotate", id: key.id })).json();
    expect(rotated.secret).not.toBe(secret);
    expect((await keys.authenticateStorefrontKey(asStorefront(secret))).ok).toBe(false);
    expect((await keys.authenticateStorefrontKey(asStorefront(rotated.secret))).ok).toBe(true);
    // Another shop cannot revoke it.
    expect((await page({ intent: "revoke", id: key.id }, OTHER)).status).toBe(404);
    expect((await page({ intent: "revoke", id: key.id })).status).toBe(200);
    expect((await keys.authenticateStorefrontKey(asStorefront(rotated.secret))).ok).toBe(false);
  });

  it("refuse a nameless key or a bad origin, creating nothing", async () => {
    const before = await t.db.storefrontKey.count();
    const res = await page({ intent: "create", name: " ", allowedOrigins: "shop.example.com https://x.example.com/path" });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.errors.name).toBe("Give the key a name");
    expect(body.errors.allowedOrigins).toMatch(/URL|https/);
    expect(await t.db.storefrontKey.count()).toBe(before);
  });
});
