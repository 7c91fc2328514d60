// The production server's own behaviour (issue 11, defect 5, and the server decision 018):
// what it answers before Remix sees a request, upstream failures as 503 with Retry-After in
// every route family, CORS preflights on every API route, and a clean stop on SIGTERM.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../dev-store/server";
import { freePort, startProductionServer } from "../production-server";
import { startStack, storefront, UA, type Stack } from "./stack";
import { stockedVariants } from "../fixtures";

let s: Stack;
beforeAll(async () => {
  // A short limit on each request to Shopify, so that "Shopify never answers" is quick to show.
  s = await startStack({ env: { SHOPIFY_REQUEST_TIMEOUT_MS: "3000" } });
});
afterAll(async () => s?.close());
const api = storefront(() => s);
const gid = (id: number) => `gid://shopify/ProductVariant/${id}`;
const stocked = () => stockedVariants(s.store.shop(), 4);
const cartRows = async (cart: string) =>
  JSON.stringify({ cart: await s.db.cart.findUnique({ where: { id: cart } }), lines: await s.db.cartLine.findMany({ where: { cartId: cart } }) });

describe("requests the server refuses itself", () => {
  it("after a 413 for an oversized body, or an answer that never read the body, the kept-alive connection serves the client's next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; text: string; socket: unknown }>((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port: s.port,
            method,
            path,
            agent,
            headers: { "Content-Type": "application/json", "User-Agent": "HydrogenStorefront/1.0", "X-Holdfast-Storefront-Key": s.key },
          },
          (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode!, text, socket: req.socket }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const cart = JSON.parse((await send("POST", "/api/v1/carts", "{}")).text).cart.id as string;
    // Sizes either side of what the server reads and drops (1 MiB): beyond it the 413 closes the connection.
    // The larger ones again and again: a server that closes at once resets the connection while
    // the client is still sending, and the client sees EPIPE instead of the 413 (seen in CI).
    for (const size of [70_000, 1_000_000, ...Array(12).fill([3_000_000, 10_000_000]).flat()]) {
      const refused = await send("PUT", `/api/v1/carts/${cart}/contact`, JSON.stringify({ email: "x".repeat(size) }));
      expect(refused.status, `${size}`).toBe(413);
      expect(JSON.parse(refused.text).error.code).toBe("body_too_large");
      const next = await send("GET", `/api/v1/carts/${cart}`);
      expect(next.status, `the request after a ${size}-byte body`).toBe(200);
    }
    // A route that answers from the path alone (no such cart) never reads the body: the server
    // drops it, so the client can finish sending and its connection serves the next request.
    for (const size of [200_000, 5_000_000]) {
      const missing = await send("PUT", `/api/v1/carts/no-such-cart/contact`, JSON.stringify({ email: "x".repeat(size) }));
      expect(missing.status, `${size}`).toBe(404);
      const next = await send("GET", `/api/v1/carts/${cart}`);
      expect(next.status, `the request after an unread ${size}-byte body`).toBe(200);
      expect(next.socket, "the same connection").toBe(missing.socket);
    }
    // A chunked body has no length to check up front: `chunks` pieces of 8 KiB, sent as the socket takes them.
    const sendChunked = (chunks: number) =>
      new Promise<string>((resolve) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port: s.port,
            method: "PUT",
            path: `/api/v1/carts/${cart}/contact`,
            agent,
            headers: {
              "Content-Type": "application/json",
              "Transfer-Encoding": "chunked",
              "X-Holdfast-Storefront-Key": s.key,
              "User-Agent": "HydrogenStorefront/1.0",
            },
          },
          (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve(`${res.statusCode} ${text}`));
          },
        );
        req.on("error", (error) => resolve(`error ${error.message}`));
        void (async () => {
          for (let i = 0; i < chunks && !req.destroyed; i++) if (!req.write("x".repeat(8_192))) await new Promise((r) => req.once("drain", r));
          req.end();
        })();
      });
    expect(await sendChunked(20)).toMatch(/^413 /);
    expect((await send("GET", `/api/v1/carts/${cart}`)).status).toBe(200);
    // A chunked body past what the server reads and drops (1 MiB): still a 413, not a reset.
    expect(await sendChunked(256)).toMatch(/^413 .*"body_too_large"/);
    expect((await send("GET", `/api/v1/carts/${cart}`)).status).toBe(200);
    agent.destroy();
  });

  it("a malformed request line or over-long path gets the API's JSON error, not the HTTP stack's page", async () => {
    const rawRequest = (line: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(s.port, "127.0.0.1", () => socket.write(line));
        let text = "";
        socket.on("data", (d: Buffer) => (text += d));
        socket.on("close", () => resolve(text));
      });
    const bad = await rawRequest("GET /api/v1/carts bad request\r\n\r\n");
    expect(bad).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(bad.split("\r\n\r\n")[1]).error.code).toBe("bad_request");
    const long = await fetch(`${s.url}/api/v1/carts/${"z".repeat(3_000)}`, { headers: { "X-Holdfast-Storefront-Key": s.key } });
    expect(long.status).toBe(414);
    expect((await long.json()).error.code).toBe("path_too_long");
  });

  it("an empty Idempotency-Key is a 400, and the write does not run", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
    const before = await cartRows(cart);
    const answer = await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(stocked()[0].id), quantity: 1 }, { "Idempotency-Key": "" });
    expect(answer).toBeApiError(400, "invalid_idempotency_key");
    expect(await cartRows(cart)).toBe(before);
  });

  it("POST /carts with a cartToken that is not a string is a 400 and makes no cart", async () => {
    const carts = await s.db.cart.count();
    for (const cartToken of [5, true, { id: "x" }, ["a"]]) {
      const answer = await api("POST", "/api/v1/carts", { cartToken });
      expect(answer, answer.text).toBeApiError(400, "invalid_request");
    }
    expect(await s.db.cart.count()).toBe(carts);
  });

  it("every API route answers a CORS preflight, and a method it does not serve with a JSON 405", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
    const routes = [
      "/api/v1/carts",
      `/api/v1/carts/${cart}`,
      `/api/v1/carts/${cart}/lines`,
      `/api/v1/carts/${cart}/lines/l1`,
      `/api/v1/carts/${cart}/contact`,
      `/api/v1/carts/${cart}/addresses`,
      `/api/v1/carts/${cart}/shipping-rates`,
      `/api/v1/carts/${cart}/discount-codes`,
      `/api/v1/carts/${cart}/discount-codes/X`,
      `/api/v1/carts/${cart}/totals`,
      `/api/v1/carts/${cart}/events`,
      "/api/v1/checkouts",
      "/api/v1/checkouts/c1",
      "/api/v1/checkouts/c1/confirm",
    ];
    for (const path of routes) {
      const preflight = await fetch(`${s.url}${path}`, {
        method: "OPTIONS",
        headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,idempotency-key" },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin"), path).toBe("https://shop.example");
      expect(preflight.headers.get("access-control-allow-headers"), path).toMatch(/Idempotency-Key/);
    }
    for (const [method, path] of [
      ["GET", "/api/v1/carts"],
      ["GET", "/api/v1/checkouts"],
      ["POST", "/api/v1/checkouts/c1"],
      ["POST", `/api/v1/carts/${cart}/totals`],
      ["GET", `/api/v1/carts/${cart}/contact`],
    ]) {
      const answer = await api(method, path, method === "POST" ? {} : undefined);
      expect(answer, `${method} ${path}`).toBeApiError(405, "method_not_allowed");
    }
  });
});

describe("Shopify or Stripe failing: 503 with Retry-After and a code, in every route family", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const expect503 = (answer: { status: number; headers: Headers; body: Record<string, any> }, code: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(answer.body.error.code).toBe(code);
  };

  it("the Cart API: the Storefront API down while a line is added", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
    const before = await cartRows(cart);
    s.store.faults.push({ path: "^/api/[^/]+/graphql\\.json$", status: 503, times: 10 });
    try {
      expect503(
        await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(stocked()[5].id), quantity: 1 }, { "Idempotency-Key": `down-${cart}` }),
        "shopify_unavailable",
      );
    } finally {
      s.store.faults.length = 0;
    }
    expect(await cartRows(cart)).toBe(before);
    // The key was not spent on the failure: the retry is judged afresh and works.
    expect(
      (await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(stocked()[5].id), quantity: 1 }, { "Idempotency-Key": `down-${cart}` })).status,
    ).toBe(201);
  });

  it("the Cart API: the Storefront API never answers (the request's time limit)", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
    const before = await cartRows(cart);
    s.store.faults.push({ path: "^/api/[^/]+/graphql\\.json$", timeout: true, times: 5 });
    const t0 = Date.now();
    try {
      expect503(await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(stocked()[6].id), quantity: 1 }), "shopify_unavailable");
    } finally {
      s.store.faults.length = 0;
    }
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await cartRows(cart)).toBe(before);
  });

  it("the Cart API: a discount code looked up while Shopify throttles past what a request may wait", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(stocked()[0].id), quantity: 1 });
    const bucket = s.store.shop().bucket;
    const rate = bucket.restoreRate;
    bucket.restoreRate = 0.5; // another app is spending this shop's API budget
    bucket.drain();
    try {
      const answer = await api("POST", `/api/v1/carts/${cart}/discount-codes`, { code: "WELCOME10" });
      expect503(answer, "shopify_unavailable");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(1);
    } finally {
      bucket.restoreRate = rate;
    }
  });

  it("the checkout API: Stripe down while the client confirms a payment", async () => {
    const cart = (await api("POST", "/api/v1/carts", {})).body.cart.id as string;
    await api("POST", `/api/v1/carts/${cart}/lines`, { variantId: gid(stocked()[1].id), quantity: 1 });
    await api("PUT", `/api/v1/carts/${cart}/contact`, { email: "ann@example.com" });
    await api("PUT", `/api/v1/carts/${cart}/addresses`, { shippingAddress: { lastName: "Lee", address1: "1 Dock St", city: "Portland", country: "US" } });
    const rates = (await api("GET", `/api/v1/carts/${cart}/shipping-rates`)).body.rates as { id: string }[];
    const total = (await api("PUT", `/api/v1/carts/${cart}/shipping-rates`, { rateId: rates[0].id })).body.totals.grandTotal as number;
    const started = await api("POST", "/api/v1/checkouts", { cartId: cart, expectedTotal: total }, { "Idempotency-Key": `co-${cart}` });
    expect(started.status).toBe(202);
    s.sim.faults.push({ path: "^/v1/payment_intents/[^/]+$", method: "GET", status: 503, times: 20 });
    try {
      expect503(await api("POST", `/api/v1/checkouts/${started.body.checkout.id}/confirm`, {}, { "Idempotency-Key": `cf-${cart}` }), "stripe_unavailable");
    } finally {
      s.sim.faults.length = 0;
    }
  });

  it("the checkout extension's hold route: the Admin API down while the lines are read", async () => {
    const token = await s.store.sessionToken(DEFAULT_SHOP, { surface: "checkout" });
    s.store.faults.push({ path: "^/admin/api/[^/]+/graphql\\.json$", status: 503, times: 50 });
    try {
      const res = await fetch(`${s.url}/api/checkout/holds`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": UA, Origin: "https://extensions.shopifycdn.com", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ checkoutToken: "co_down", lines: [{ variantId: gid(stocked()[2].id), quantity: 1 }] }),
      });
      expect503({ status: res.status, headers: res.headers, body: await res.json() }, "shopify_unavailable");
      expect(res.headers.get("access-control-allow-origin")).toBeTruthy();
    } finally {
      s.store.faults.length = 0;
    }
  });

  it("the admin: the home page's data while the Admin API is down", async () => {
    s.store.faults.push({ path: "^/admin/api/[^/]+/graphql\\.json$", status: 503, times: 50 });
    try {
      const res = await s.adminData("/app", "routes/app._index");
      expect(res.status).toBe(503);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    } finally {
      s.store.faults.length = 0;
    }
    expect((await s.adminData("/app", "routes/app._index")).status).toBe(200);
  });
});

describe("stopping on SIGTERM", () => {
  it("finishes the request in flight, takes no new connection, stops the jobs, closes the pool and exits 0", async () => {
    const port = await freePort();
    const server = await startProductionServer({
      port,
      env: { ...s.env, SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, HOLDFAST_INSTANCE_ID: "e2e-shutdown", HOLDFAST_SHUTDOWN_GRACE_MS: "5000" },
    });
    const url = `http://127.0.0.1:${port}`;
    const created = await fetch(`${url}/api/v1/carts`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Holdfast-Storefront-Key": s.key, "User-Agent": "HydrogenStorefront/1.0" },
      body: "{}",
    });
    const createdText = await created.text();
    expect(created.status, createdText).toBe(201);
    const cart = JSON.parse(createdText).cart.id as string;
    // The Storefront API answers slowly: the add is still in flight when the stop comes.
    s.store.faults.push({ path: "^/api/[^/]+/graphql\\.json$", latencyMs: 1_500, times: 1 });
    const inFlight = fetch(`${url}/api/v1/carts/${cart}/lines`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Holdfast-Storefront-Key": s.key, "User-Agent": "HydrogenStorefront/1.0" },
      body: JSON.stringify({ variantId: gid(stocked()[7].id), quantity: 2 }),
    });
    await new Promise((r) => setTimeout(r, 400));
    const stopped = server.stop("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect((await answer.json()).lines[0].quantity).toBe(2);
    expect(await stopped).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/SIGTERM: stopping/);
    expect(server.output()).toMatch(/stopped/);
  });

  it("cuts a long-lived event stream once the grace period is over, then exits 0", async () => {
    const port = await freePort();
    const server = await startProductionServer({
      port,
      env: { ...s.env, SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, HOLDFAST_INSTANCE_ID: "e2e-shutdown-2", HOLDFAST_SHUTDOWN_GRACE_MS: "500" },
    });
    const url = `http://127.0.0.1:${port}`;
    const headers = { "Content-Type": "application/json", "X-Holdfast-Storefront-Key": s.key, "User-Agent": "HydrogenStorefront/1.0" };
    const cart = (await (await fetch(`${url}/api/v1/carts`, { method: "POST", headers, body: "{}" })).json()).cart.id as string;
    const stream = await fetch(`${url}/api/v1/carts/${cart}/events`, { headers });
    expect(stream.status).toBe(200);
    const t0 = Date.now();
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(4_000);
  });
});
