import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../test/harness";
import { DEFAULT_SHOP } from "../../test/dev-store/server";
import { openApiChecker } from "../../test/openapi-check";
import { cartApiDocument } from "./openapi";
import { stockedVariants } from "../../test/fixtures";

const conformsToDocument = openApiChecker(cartApiDocument as never, "/api/v1");
const EVENTS_SHOP = "events-shop.myshopify.com";
let t: TestApp;
let key: string;
let eventsKey: string;
let versions: typeof import("./totals-versions.server");

beforeAll(async () => {
  t = await startTestApp({ shops: [DEFAULT_SHOP, EVENTS_SHOP] });
  await t.install(DEFAULT_SHOP);
  await t.install(EVENTS_SHOP);
  const { createStorefrontKey } = await import("../storefront/keys.server");
  key = (await createStorefrontKey(DEFAULT_SHOP, { name: "web", allowedOrigins: [] })).secret;
  eventsKey = (await createStorefrontKey(EVENTS_SHOP, { name: "web", allowedOrigins: [] })).secret;
  versions = await import("./totals-versions.server");
});
afterAll(async () => t?.close());

async function api(method: string, path: string, body?: unknown, o: { key?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { "Content-Type": "application/json", "User-Agent": "HydrogenStorefront/1.0", "X-Holdfast-Storefront-Key": o.key ?? key, ...o.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await res.json();
  conformsToDocument(path.split("?")[0], method, res.status, parsed);
  return { status: res.status, headers: res.headers, body: parsed };
}

const wellStocked = (shop = DEFAULT_SHOP) => stockedVariants(t.store.state.shop(shop)!, 6).map((v) => v.gid);

async function pollTotals(cartId: string, version: number, k = key) {
  for (let i = 0; i < 100; i++) {
    const res = await api("GET", `/api/v1/carts/${cartId}/totals?version=${version}`, undefined, { key: k });
    if (res.status === 200) return res.body;
    expect(res.status).toBe(202);
    expect(res.headers.get("retry-after")).toBe("1");
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`totals for version ${version} never came`);
}

describe("totals calculation modes", () => {
  it("sync (the default): every write's answer carries fresh totals and a higher version", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const [a, b] = wellStocked();
    const first = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: a, quantity: 1 });
    const second = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: b, quantity: 2 });
    expect(first.status).toBe(201);
    expect(second.body.totalsVersion).toBe(first.body.totalsVersion + 1);
    expect(second.body.totals.subtotal).toBeGreaterThan(first.body.totals.subtotal);
    // What was answered is also what a poll for that version gets.
    const stored = await pollTotals(cart, second.body.totalsVersion);
    expect(stored).toMatchObject({ version: second.body.totalsVersion, reason: "line added", totals: second.body.totals });
  });

  it("async (Prefer: respond-async): 202 with a version; polling returns that version's totals", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const [a] = wellStocked();
    const write = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: a, quantity: 3 }, { headers: { Prefer: "respond-async" } });
    expect(write.status).toBe(202);
    expect(write.body.totals).toBeNull();
    expect(write.body.lines).toHaveLength(1);
    expect(write.body.totalsUrl).toBe(`/api/v1/carts/${cart}/totals?version=${write.body.totalsVersion}`);
    const polled = await pollTotals(cart, write.body.totalsVersion);
    const fresh = await api("GET", `/api/v1/carts/${cart}`);
    expect(polled.totals).toEqual(fresh.body.totals);
    expect(polled.reason).toBe("line added");
    // A version that does not exist yet, and a malformed one, are refused.
    expect((await api("GET", `/api/v1/carts/${cart}/totals?version=${write.body.totalsVersion + 5}`)).status).toBe(404);
    expect((await api("GET", `/api/v1/carts/${cart}/totals?version=abc`)).status).toBe(400);
    expect((await api("POST", `/api/v1/carts/${cart}/lines?totals=later`, { variantId: a, quantity: 1 })).status).toBe(400);
  });

  it("a version whose calculation was lost (a restart between write and calculation) is still answered", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const [a] = wellStocked();
    const written = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: a, quantity: 1 });
    await pollTotals(cart, written.body.totalsVersion);
    // As if the process died after committing a write: the version moved, nothing calculated it.
    const { shop, totalsVersion } = await t.db.cart.update({
      where: { id: cart },
      data: { totalsVersion: { increment: 1 }, totalsReason: "quantity changed" },
    });
    expect(shop).toBe(DEFAULT_SHOP);
    expect((await versions.latestSnapshot(DEFAULT_SHOP, cart))!.version).toBe(totalsVersion - 1);
    expect((await pollTotals(cart, totalsVersion)).version).toBe(totalsVersion);
  });

  it("versions only move forward: a slow, stale calculation never replaces a newer one", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id;
    const [a, b] = wellStocked();
    const v1 = (await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: a, quantity: 1 })).body;
    const v2 = (await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: b, quantity: 1 })).body;
    await pollTotals(cart, v2.totalsVersion);
    expect(await versions.storeSnapshot(t.db, DEFAULT_SHOP, cart, v1.totalsVersion, "line added", v1.totals)).toBe(false);
    expect(await versions.latestSnapshot(DEFAULT_SHOP, cart)).toMatchObject({ version: v2.totalsVersion, totals: v2.totals });

    // Concurrent background calculations and writes: the stored version never goes down.
    const seen: number[] = [];
    const stop = versions.onTotals(DEFAULT_SHOP, cart, (s) => seen.push(s.version));
    t.store.faults.push({ path: "/api/.*/graphql.json", latencyMs: 150, times: 1 });
    const writes = [];
    for (let i = 0; i < 6; i++) writes.push(api("PATCH", `/api/v1/carts/${cart}/lines/${v2.lines[0].id}?totals=async`, { quantity: i + 1 }));
    const answers = await Promise.all(writes);
    const last = Math.max(...answers.map((w) => w.body.totalsVersion));
    const final = await pollTotals(cart, last);
    stop();
    expect(final.version).toBe(last);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect((await versions.latestSnapshot(DEFAULT_SHOP, cart))!.version).toBe(last);
  });

  it("events: a shop that chooses events answers writes with 202 and pushes each new version on the stream", async () => {
    expect(await versions.saveTotalsMode(EVENTS_SHOP, "events")).toEqual({ ok: true });
    expect(await versions.saveTotalsMode(EVENTS_SHOP, "sometimes")).toMatchObject({ ok: false });
    const cart = (await api("POST", "/api/v1/carts", {}, { key: eventsKey })).body.cart.id;
    const controller = new AbortController();
    const res = await fetch(`${t.url}/api/v1/carts/${cart}/events`, {
      headers: { "X-Holdfast-Storefront-Key": eventsKey, "User-Agent": "HydrogenStorefront/1.0" },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events: { version: number; reason: string; totals: { subtotal: number } }[] = [];
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const waitFor = async (count: number) => {
      while (events.length < count) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((l) => l.startsWith("data: "));
          if (block.includes("event: totals") && data) events.push(JSON.parse(data.slice(6)));
        }
      }
    };
    await waitFor(1);
    expect(events[0]).toMatchObject({ version: 0, totals: { subtotal: 0 } });
    const [a] = wellStocked(EVENTS_SHOP);
    const write = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: a, quantity: 2 }, { key: eventsKey });
    expect(write.status).toBe(202);
    await waitFor(2);
    expect(events[1]).toMatchObject({ version: write.body.totalsVersion, reason: "line added" });
    expect(events[1].totals.subtotal).toBeGreaterThan(0);
    const second = await api("PUT", `/api/v1/carts/${cart}/contact`, { email: "sea@example.com" }, { key: eventsKey });
    await waitFor(3);
    expect(events[2]).toMatchObject({ version: second.body.totalsVersion, reason: "contact set" });
    controller.abort();
    // Another shop's key cannot open this cart's stream.
    const foreign = await fetch(`${t.url}/api/v1/carts/${cart}/events`, {
      headers: { "X-Holdfast-Storefront-Key": key, "User-Agent": "HydrogenStorefront/1.0" },
    });
    expect(foreign.status).toBe(404);
  });
});
